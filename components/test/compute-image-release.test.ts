import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  ImageRelease,
  nextReleaseState,
  parseReleaseState,
  RETAG_SCRIPT,
  type ReleaseState,
} from "../src/compute/image-release";
import { capture, expectWellFormed, mockPulumi, resolve } from "./harness";

const COMMAND = "command:local:Command";

beforeAll(() => mockPulumi());

const images = {
  "lambda-base": {
    repositoryUrl: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tradai/lambda-base",
    digest: "sha256:new-base",
  },
  backend: {
    repositoryUrl: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tradai/backend",
    digest: "sha256:new-backend",
  },
};
const previous: ReleaseState = {
  latest: "v1",
  releases: { v1: { "lambda-base": "sha256:v1-base", backend: "sha256:v1-backend" } },
};

describe("ImageRelease", () => {
  it("records a new tag with this deploy's digests and retags each image to it", async () => {
    const c = await capture((opts) => new ImageRelease("release", { tag: "v2", previous, images }, opts));
    expectWellFormed(c, "tradai:compute:ImageRelease", "release");
    expect(await resolve(c.component.state)).toEqual({
      latest: "v2",
      releases: {
        ...previous.releases,
        v2: { "lambda-base": "sha256:new-base", backend: "sha256:new-backend" },
      },
    });
    expect(c.ofType(COMMAND).map((r) => [r.name, r.inputs.create, r.inputs.environment])).toEqual([
      [
        "release-lambda-base",
        RETAG_SCRIPT,
        { REGION: "eu-central-1", REPOSITORY: "tradai/lambda-base", TAG: "v2", DIGEST: "sha256:new-base" },
      ],
      [
        "release-backend",
        RETAG_SCRIPT,
        { REGION: "eu-central-1", REPOSITORY: "tradai/backend", TAG: "v2", DIGEST: "sha256:new-backend" },
      ],
    ]);
  });

  it("without a tag carries the last release over: the retag inputs do not follow new code", async () => {
    const c = await capture((opts) => new ImageRelease("carry", { previous, images }, opts));
    expect(await resolve(c.component.state)).toEqual(previous);
    expect(c.one(COMMAND, "carry-backend").inputs.environment).toMatchObject({
      TAG: "v1",
      DIGEST: "sha256:v1-backend",
    });
  });

  it("re-running a recorded tag keeps its first digests; a first deploy without a tag tags nothing", () => {
    expect(nextReleaseState(previous, "v1", { backend: "sha256:other" })).toEqual(previous);
    expect(nextReleaseState(undefined, undefined, { backend: "sha256:x" })).toEqual({
      latest: null,
      releases: {},
    });
    expect(parseReleaseState({ latest: 3, releases: {} })).toBeUndefined();
    expect(parseReleaseState({ latest: null, releases: { v1: { backend: "sha256:a", junk: 1 } } })).toEqual({
      latest: null,
      releases: { v1: { backend: "sha256:a" } },
    });
  });
});

describe("RETAG_SCRIPT", () => {
  /** Runs the script with a fake `aws` that logs its calls and answers from the given outputs. */
  function run(
    env: Record<string, string>,
    fake: { manifest: string; putImage?: string; putStatus?: number },
  ) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "retag-"));
    const log = path.join(dir, "calls");
    fs.writeFileSync(
      path.join(dir, "aws"),
      [
        "#!/bin/bash",
        `echo "$*" >> ${log}`,
        `case "$2" in batch-get-image) printf '%s' ${JSON.stringify(fake.manifest)} ;;`,
        `put-image) echo ${JSON.stringify(fake.putImage ?? "")}; exit ${fake.putStatus ?? 0} ;; esac`,
      ].join("\n"),
      { mode: 0o755 },
    );
    try {
      execFileSync("/bin/bash", ["-c", RETAG_SCRIPT], {
        env: { PATH: `${dir}:/usr/bin:/bin`, REGION: "eu-central-1", REPOSITORY: "tradai/backend", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      return { ok: true, calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [] };
    } catch (error) {
      return { ok: false, stderr: String((error as { stderr?: Buffer }).stderr), calls: [] as string[] };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("puts the recorded digest's manifest under the tag", () => {
    const result = run({ TAG: "v2", DIGEST: "sha256:abc" }, { manifest: "{manifest}" });
    expect(result.ok).toBe(true);
    expect(result.calls).toEqual([
      "ecr batch-get-image --region eu-central-1 --repository-name tradai/backend --image-ids imageDigest=sha256:abc --query images[0].imageManifest --output text",
      "ecr put-image --region eu-central-1 --repository-name tradai/backend --image-tag v2 --image-manifest {manifest}",
    ]);
  });

  it("does nothing before the first release, treats an existing tag as success, fails on a missing digest", () => {
    expect(run({ TAG: "", DIGEST: "" }, { manifest: "x" })).toEqual({ ok: true, calls: [] });
    expect(
      run(
        { TAG: "v2", DIGEST: "sha256:abc" },
        { manifest: "m", putImage: "ImageAlreadyExistsException", putStatus: 254 },
      ).ok,
    ).toBe(true);
    const missing = run({ TAG: "v2", DIGEST: "sha256:gone" }, { manifest: "None" });
    expect(missing.ok).toBe(false);
    expect(missing.stderr).toContain("tradai/backend@sha256:gone is not in ECR");
    expect(
      run({ TAG: "v2", DIGEST: "sha256:abc" }, { manifest: "m", putImage: "AccessDenied", putStatus: 254 })
        .ok,
    ).toBe(false);
  });
});
