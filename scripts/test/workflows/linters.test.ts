/**
 * The workflows under the two linters a reviewer trusts: actionlint (syntax, expressions, shellcheck on
 * `run:` scripts) and zizmor (security: unpinned actions, dangerous triggers, credential persistence,
 * template injection, ...). Both come from pinned packages the test installs into .venv (testing/tools.lock;
 * actionlint built from the Go module proxy), so the check runs on any machine and never skips.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureActionlint, ensureZizmor, INSTALL_HOOK_TIMEOUT_MS } from "@tradai/testing";
import { REPO_ROOT } from "../../src/cli/platform";

const GITHUB_DIR = path.join(REPO_ROOT, ".github");
/** A GitHub expression as written in a workflow: `${{ <body> }}`. */
const expr = (body: string) => ["$", "{{ ", body, " }}"].join("");

interface ZizmorFinding {
  ident: string;
  desc: string;
  determinations: { severity: "Unknown" | "Informational" | "Low" | "Medium" | "High" };
  locations: {
    symbolic: { key: { Local?: { given_path?: string } } };
    concrete: { location: { start_point: { row: number } } };
  }[];
}

function zizmor(bin: string, target: string): ZizmorFinding[] {
  // --offline: no GitHub API (the machine has none); every audit that reads only the files still runs.
  const result = spawnSync(bin, ["--offline", "--format", "json", "--no-progress", target], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  // zizmor exits non-zero when it finds something; only a missing JSON document is a failure to run.
  if (!result.stdout.trim().startsWith("[")) throw new Error(`zizmor did not run:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ZizmorFinding[];
}

const where = (f: ZizmorFinding) =>
  `${f.ident}: ${f.desc} (${f.locations
    .map((l) => `${l.symbolic.key.Local?.given_path ?? "?"}:${l.concrete.location.start_point.row + 1}`)
    .join(", ")})`;

describe("zizmor", () => {
  let bin: string;
  beforeAll(async () => {
    bin = await ensureZizmor();
  }, INSTALL_HOOK_TIMEOUT_MS);

  it("finds no high-severity issue in .github (workflows, composite actions, dependabot)", () => {
    const high = zizmor(bin, ".github").filter((f) => f.determinations.severity === "High");
    expect(high.map(where)).toEqual([]);
  });

  it("finds no medium-severity issue either", () => {
    const medium = zizmor(bin, ".github").filter((f) => f.determinations.severity === "Medium");
    expect(medium.map(where)).toEqual([]);
  });

  it("takes suppressions only from the workflow files, each with its reason", () => {
    // A config file would hide findings away from the code they concern.
    for (const config of ["zizmor.yml", ".github/zizmor.yml"]) {
      expect({ config, exists: fs.existsSync(path.join(REPO_ROOT, config)) }).toEqual({
        config,
        exists: false,
      });
    }
    const files = fs
      .readdirSync(path.join(GITHUB_DIR, "workflows"))
      .map((f) => path.join(GITHUB_DIR, "workflows", f))
      .concat(path.join(GITHUB_DIR, "actions", "setup", "action.yml"));
    for (const file of files) {
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const ignore = /#\s*zizmor:\s*ignore\[[^\]]+\](.*)$/.exec(line);
        // The reason follows the directive: `# zizmor: ignore[rule] -- why`.
        if (ignore)
          expect({ line, reason: (ignore[1] ?? "").replace(/^[\s-]*/, "").length > 10 }).toEqual({
            line,
            reason: true,
          });
      }
    }
  });

  it("would catch an unpinned action, a workflow_run trigger and a persisted token (the check is live)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-zizmor-"));
    const probe = path.join(dir, ".github", "workflows", "probe.yml");
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(
      probe,
      [
        "name: probe",
        "on:",
        "  workflow_run:",
        "    workflows: [ci]",
        "    types: [completed]",
        "permissions: {}",
        "jobs:",
        "  x:",
        "    runs-on: ubuntu-24.04",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "        with:",
        `          ref: ${expr("github.event.workflow_run.head_sha")}`,
        "",
      ].join("\n"),
    );
    try {
      const idents = zizmor(bin, path.join(dir, ".github")).map(
        (f) => `${f.ident}/${f.determinations.severity}`,
      );
      expect(idents).toEqual(
        expect.arrayContaining(["unpinned-uses/High", "dangerous-triggers/High", "artipacked/Medium"]),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("actionlint", () => {
  let bin: string;
  beforeAll(async () => {
    bin = await ensureActionlint();
  }, INSTALL_HOOK_TIMEOUT_MS);

  it("reports nothing on .github/workflows", () => {
    const result = spawnSync(bin, ["-no-color"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });

  it("would catch a broken workflow (the check is live)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-actionlint-"));
    const broken = path.join(dir, "probe.yml");
    fs.writeFileSync(
      broken,
      `on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${expr("github.nope")}\n`,
    );
    try {
      const result = spawnSync(bin, ["-no-color", broken], { cwd: REPO_ROOT, encoding: "utf8" });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("nope");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
