/**
 * `tradai infra stack-init` creates stacks on bootstrap's KMS secrets provider unless told otherwise
 * (issue 14, fault 8): CI and the drift detector then read every stack without a shared passphrase.
 */

import { kmsSecretsProvider, PULUMI_SECRETS_KEY_ALIAS } from "../../src/cli/platform";
import { runCli } from "../../src/cli/program";
import { type TestContext, testContext } from "./helpers";

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

const noPassphrase = () => {
  const { PULUMI_CONFIG_PASSPHRASE: _p, ...env } = process.env;
  return env;
};

describe("tradai infra stack-init", () => {
  it("uses bootstrap's KMS key in the CLI's region by default", async () => {
    const ctx = testContext({ env: { ...noPassphrase(), AWS_REGION: "eu-west-1" } });
    expect(await run(ctx, "infra", "stack-init", "compute", "dev")).toBe(0);
    expect(ctx.fake.calls).toEqual([
      {
        op: "init",
        layer: "compute",
        env: "dev",
        options: { secretsProvider: `awskms://${PULUMI_SECRETS_KEY_ALIAS}?region=eu-west-1` },
      },
    ]);
    expect(ctx.io.stderr.join("\n")).toContain(`secrets: ${kmsSecretsProvider("eu-west-1")}`);
  });

  it("the default provider names the key bootstrap creates", () => {
    expect(kmsSecretsProvider("eu-central-1")).toBe(
      "awskms://alias/tradai-pulumi-secrets?region=eu-central-1",
    );
  });

  it("takes another KMS URL when given", async () => {
    const ctx = testContext({ env: noPassphrase() });
    const url = "awskms://alias/other-key?region=eu-central-1";
    expect(await run(ctx, "infra", "stack-init", "edge", "staging", "--secrets-provider", url)).toBe(0);
    expect(ctx.fake.calls[0]?.options).toEqual({ secretsProvider: url });
  });

  it("keeps the passphrase provider as an explicit option, with the passphrase set", async () => {
    const ctx = testContext({ env: { ...noPassphrase(), PULUMI_CONFIG_PASSPHRASE: "s3cret" } });
    expect(await run(ctx, "infra", "stack-init", "edge", "dev", "--secrets-provider", "passphrase")).toBe(0);
    expect(ctx.fake.calls[0]?.options).toEqual({ secretsProvider: "passphrase" });
  });

  it.each([
    [["--secrets-provider", "passphrase"], "PULUMI_CONFIG_PASSPHRASE"],
    [["--secrets-provider", "alias/tradai-pulumi-secrets"], "unknown secrets provider"],
  ])("refuses %j before creating anything (exit 2)", async (extra, message) => {
    const ctx = testContext({ env: noPassphrase() });
    expect(await run(ctx, "infra", "stack-init", "edge", "dev", ...extra)).toBe(2);
    expect(ctx.fake.calls).toEqual([]);
    expect(ctx.io.stderr.join("\n")).toContain(message);
  });
});
