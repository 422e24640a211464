/** The PR summary table: parsing preview outputs, rendering, and the CLI the deploy-infra workflow runs. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanChanges } from "@tradai/plan/changes";
import type { LayerPlan } from "@tradai/plan/types";
import {
  anyFailure,
  PREVIEW_COMMENT_MARKER,
  type PreviewCell,
  parsePreview,
  parsePreviewJson,
  parsePreviewText,
  renderSummary,
} from "../../src/ci/preview-summary";
import { main, readPlan, readPreviews } from "../../src/ci/preview-summary-cli";

const ESC = String.fromCharCode(27);

// Shaped like `pulumi preview` text output (what the Pulumi action returns as `output`).
const CHANGES = `Previewing update (dev):
     Type                       Name                 Plan
     pulumi:pulumi:Stack        tradai-compute-dev
 +   ├─ aws:lambda:Function     health-check         create
 ~   ├─ aws:ecs:Service         backend-api          update
 +-  ├─ aws:ecs:TaskDefinition  backend-api          replace
 -   └─ aws:sqs:Queue           old                  delete

Policies:
    ⚠️ tradai-policies@v0.1.0 (local: /w/policies)
        - [advisory]  ecr-scan-on-push  (aws:ecr/repository:Repository: cache)
          ECR repositories scan images on push.

Resources:
    ${ESC}[32m+ 4 to create${ESC}[0m
    ~ 2 to update
    - 1 to delete
    +-3 to replace
    10 changes. 120 unchanged
`;

const MANDATORY = `Previewing update (prod):

Policies:
    ❌ tradai-policies@v0.1.0 (local: /w/policies)
        - [mandatory]  dynamodb-deletion-protection  (aws:dynamodb/table:Table: jobs)
        - [mandatory]  rds-deletion-protection  (aws:rds/instance:Instance: mlflow)
        - [advisory]  ecr-scan-on-push  (aws:ecr/repository:Repository: cache)

Resources:
    ~ 1 to update
    40 unchanged
`;

function cell(overrides: Partial<PreviewCell>): PreviewCell {
  return {
    env: "dev",
    layer: "persistent",
    status: "ok",
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    policy: { mandatory: 0, advisory: 0 },
    ...overrides,
  };
}

describe("parsePreviewText", () => {
  it("reads the resource counts (through colour codes) and the advisory violations", () => {
    expect(parsePreviewText(CHANGES)).toEqual({
      create: 4,
      update: 2,
      replace: 3,
      delete: 1,
      policy: { mandatory: 0, advisory: 1 },
    });
  });

  it("counts mandatory violations", () => {
    expect(parsePreviewText(MANDATORY)).toEqual({
      create: 0,
      update: 1,
      replace: 0,
      delete: 0,
      policy: { mandatory: 2, advisory: 1 },
    });
  });

  it("reports no policy result when the output has no Policies section", () => {
    expect(parsePreviewText("Resources:\n    12 unchanged\n")).toEqual({
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
      policy: null,
    });
  });
});

describe("parsePreviewJson", () => {
  it("reads changeSummary of pulumi preview --json", () => {
    const json = JSON.stringify({ steps: [], changeSummary: { create: 2, delete: 5, same: 9, replace: 1 } });
    expect(parsePreviewJson(json)).toEqual({ create: 2, update: 0, replace: 1, delete: 5, policy: null });
    expect(parsePreview(`  ${json}`)).toEqual(parsePreviewJson(json));
  });

  it("refuses a document without changeSummary, and text that is not JSON", () => {
    expect(() => parsePreviewJson('{"steps":[]}')).toThrow(/no changeSummary/);
    expect(() => parsePreviewJson("{oops")).toThrow(/not a pulumi preview --json document/);
  });
});

describe("renderSummary", () => {
  const options = {
    title: "Preview",
    envs: ["dev", "prod"] as const,
    layers: ["persistent", "edge"] as const,
  };

  it("starts with the marker and has one row per environment and layer, in layer order", () => {
    const md = renderSummary(
      [
        cell({ env: "prod", layer: "edge", create: 1, policy: { mandatory: 1, advisory: 0 } }),
        cell({ env: "dev", layer: "persistent", create: 3, update: 1, replace: 2, delete: 4 }),
        cell({ env: "dev", layer: "edge", status: "failed", policy: null }),
      ],
      { ...options, footer: ["run log"] },
    );
    const lines = md.split("\n");
    expect(lines[0]).toBe(PREVIEW_COMMENT_MARKER);
    const rows = lines.filter((l) => /^\| (dev|prod) \|/.test(l));
    expect(rows).toEqual([
      "| dev | persistent | 3 | 3 (2 replaced) | 4 | ✅ pass |",
      "| dev | edge | — | — | — | ❌ preview failed |",
      "| prod | persistent | — | — | — | not run |",
      "| prod | edge | 1 | 0 | 0 | ❌ 1 mandatory |",
    ]);
    expect(md).toContain(
      "**2 of 4 previews failed or violate a mandatory policy.** 1 did not run (see the run log).",
    );
    expect(md.trimEnd().endsWith("run log")).toBe(true);
  });

  it("says all passed, and shows advisory findings as warnings", () => {
    const md = renderSummary(
      [
        cell({ env: "dev", layer: "persistent", policy: { mandatory: 0, advisory: 2 } }),
        cell({ env: "dev", layer: "edge" }),
        cell({ env: "prod", layer: "persistent" }),
        cell({ env: "prod", layer: "edge" }),
      ],
      options,
    );
    expect(md).toContain("| dev | persistent | 0 | 0 | 0 | ⚠️ 2 advisory |");
    expect(md).toContain("All 4 previews passed.");
  });

  it("anyFailure is true for a failed preview or a mandatory violation only", () => {
    expect(anyFailure([cell({ policy: { mandatory: 0, advisory: 3 } })])).toBe(false);
    expect(anyFailure([cell({ status: "failed" })])).toBe(true);
    expect(anyFailure([cell({ policy: { mandatory: 1, advisory: 0 } })])).toBe(true);
  });
});

describe("renderSummary with the rebuild prediction", () => {
  it("shows what the change rebuilds and updates in dev under the table", () => {
    const changes: PlanChanges = {
      env: "dev",
      layers: ["compute"],
      images: [
        {
          name: "sqs-consumer",
          change: "rebuild",
          reason: {
            inputs: [],
            files: { added: [], removed: [], changed: ["dist/index.js"] },
            contextHash: true,
            dockerfile: false,
          },
        },
      ],
      functions: [{ name: "sqs-consumer", change: "update", inputs: ["imageUri"] }],
      services: [],
      notes: [],
    };
    const markdown = renderSummary([], {
      title: "t",
      envs: ["dev"],
      layers: ["compute"],
      changes: [changes],
    });
    expect(markdown).toContain("What this change rebuilds");
    expect(markdown).toContain(
      "**dev**: this change rebuilds 1 image: sqs-consumer; updates 1 function: sqs-consumer and 0 services.",
    );
    expect(markdown).toContain("| sqs-consumer | files ~dist/index.js |");
    expect(renderSummary([], { title: "t", envs: ["dev"], layers: ["compute"] })).not.toContain("rebuilds");
  });
});

describe("preview-summary CLI", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-preview-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(rel: string, text: string) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }

  it("reads <env>/<layer>.txt|.json with .outcome and writes the table; exit 1 on a mandatory violation", () => {
    write("dev/compute.txt", CHANGES);
    write("dev/compute.outcome", "success\n");
    write("prod/persistent.txt", MANDATORY);
    write("prod/persistent.outcome", "failure\n");
    write("staging/edge.json", JSON.stringify({ changeSummary: { create: 7 } }));
    write("staging/edge.outcome", "success\n");
    const cells = readPreviews(dir);
    expect(cells.map((c) => `${c.env}/${c.layer}:${c.status}`)).toEqual([
      "dev/compute:ok",
      "staging/edge:ok",
      "prod/persistent:failed",
    ]);
    const out = path.join(dir, "summary.md");
    expect(main(["--previews", dir, "--out", out, "--footer", "commit abc"])).toBe(1);
    const md = fs.readFileSync(out, "utf8");
    expect(md).toContain("| dev | compute | 4 | 5 (3 replaced) | 1 | ⚠️ 1 advisory |");
    expect(md).toContain("| staging | edge | 7 | 0 | 0 | n/a |");
    expect(md).toContain("| prod | persistent | — | — | — | ❌ 2 mandatory, 1 advisory |");
    expect(md).toContain("| dev | persistent | — | — | — | not run |");
    expect(md).toContain("commit abc");
  });

  it("exits 0 when every preview passed", () => {
    write(
      "dev/persistent.txt",
      "Policies:\n    ✅ tradai-policies@v0.1.0\n\nResources:\n    + 1 to create\n",
    );
    write("dev/persistent.outcome", "success");
    const out = path.join(dir, "summary.md");
    expect(main(["--previews", dir, "--out", out])).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toContain("| dev | persistent | 1 | 0 | 0 | ✅ pass |");
  });

  it("refuses an unknown outcome and bad arguments with exit 2", () => {
    write("dev/edge.outcome", "maybe");
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(main(["--previews", dir, "--out", path.join(dir, "x.md")])).toBe(2);
      expect(fs.existsSync(path.join(dir, "x.md"))).toBe(false);
      expect(main([])).toBe(2);
      expect(main(["--previews", dir, "--plan", dir])).toBe(2);
      expect(main(["--bogus"])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });

  it("renders the offline plan for a fork: custom resources as adds, the pack's verdict", () => {
    const plan: LayerPlan = {
      project: "tradai-persistent",
      stack: "prod",
      layer: "persistent",
      outputs: {},
      resources: [
        { custom: false } as LayerPlan["resources"][number],
        { custom: true } as LayerPlan["resources"][number],
        { custom: true } as LayerPlan["resources"][number],
      ],
      policy: {
        violations: [
          { policy: "p", enforcement: "mandatory", urn: "u", message: "m" },
          { policy: "q", enforcement: "advisory", urn: "u", message: "m" },
        ],
      },
    };
    write("prod/persistent.json", JSON.stringify(plan));
    expect(readPlan(dir)).toEqual([
      expect.objectContaining({
        env: "prod",
        layer: "persistent",
        create: 2,
        policy: { mandatory: 1, advisory: 1 },
      }),
    ]);
    const out = path.join(dir, "summary.md");
    expect(main(["--plan", dir, "--out", out])).toBe(1);
    const md = fs.readFileSync(out, "utf8");
    expect(md.startsWith(PREVIEW_COMMENT_MARKER)).toBe(true);
    expect(md).toContain("Offline plan");
    expect(md).toContain("| prod | persistent | 2 | 0 | 0 | ❌ 1 mandatory, 1 advisory |");
  });
});
