/** `verify-account` and the prod guard, against the emulator's STS (account 123456789012). */
import * as fs from "node:fs";
import { TEST_ACCOUNT_ID, useMoto } from "@tradai/testing";
import { CONFIRM_PHRASE } from "../../src/cli/infra/orchestrate";
import { runCli } from "../../src/cli/program";
import { rootWithAccount, type TestContext, tempDir, testContext } from "./helpers";

useMoto();
const OTHER_ACCOUNT = "999999999999";
const roots: string[] = [];

function root(env: "dev" | "prod", accountId: string): string {
  const dir = rootWithAccount(env, accountId);
  roots.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of roots) fs.rmSync(dir, { recursive: true, force: true });
});

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe("infra verify-account", () => {
  it("prints the caller identity", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "verify-account", "--json")).toBe(0);
    const check = JSON.parse(ctx.io.stdout.join("\n"));
    expect(check.identity.account).toBe(TEST_ACCOUNT_ID);
    expect(check.identity.arn).toContain(TEST_ACCOUNT_ID);
  });

  it("matches the account in stacks/persistent/Pulumi.<env>.yaml", async () => {
    const ctx = testContext({ root: root("dev", TEST_ACCOUNT_ID) });
    expect(await run(ctx, "infra", "verify-account", "dev", "--json")).toBe(0);
    const check = JSON.parse(ctx.io.stdout.join("\n"));
    expect(check).toMatchObject({
      env: "dev",
      matches: true,
      expected: { accountId: TEST_ACCOUNT_ID, source: "stacks/persistent/Pulumi.dev.yaml" },
    });
  });

  it("falls back to TRADAI_<ENV>_ACCOUNT_ID and fails on a mismatch", async () => {
    const ctx = testContext({
      root: tempDir(),
      env: { ...process.env, TRADAI_STAGING_ACCOUNT_ID: OTHER_ACCOUNT },
    });
    roots.push(ctx.root);
    expect(await run(ctx, "infra", "verify-account", "staging")).toBe(1);
    expect(ctx.io.stdout.join("\n")).toContain(
      `staging: account ${OTHER_ACCOUNT} (TRADAI_STAGING_ACCOUNT_ID)`,
    );
    expect(ctx.io.stderr.join("\n")).toContain(`is in account ${TEST_ACCOUNT_ID}`);
  });

  it("rejects a malformed configured account id", async () => {
    const ctx = testContext({ root: root("dev", "12345") });
    expect(await run(ctx, "infra", "verify-account", "dev")).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain("not a 12-digit AWS account id");
  });
});

describe("the prod guard", () => {
  it("refuses to deploy prod from another account, before touching the stack", async () => {
    const ctx = testContext({ root: root("prod", OTHER_ACCOUNT) });
    expect(await run(ctx, "infra", "up", "compute", "prod")).toBe(3);
    expect(ctx.fake.calls).toEqual([]);
    expect(ctx.io.stderr.join("\n")).toContain(`prod is account ${OTHER_ACCOUNT}`);
  });

  it("refuses prod when no account is configured for it", async () => {
    const ctx = testContext({ root: tempDir(), env: { ...process.env, TRADAI_PROD_ACCOUNT_ID: "" } });
    roots.push(ctx.root);
    expect(await run(ctx, "infra", "bootstrap", "prod")).toBe(3);
    expect(ctx.fake.calls).toEqual([]);
    expect(ctx.io.stderr.join("\n")).toContain("no AWS account is configured");
  });

  it("deploys prod from prod's account", async () => {
    const ctx = testContext({ root: root("prod", TEST_ACCOUNT_ID) });
    expect(await run(ctx, "infra", "up", "compute", "prod")).toBe(0);
    expect(ctx.fake.log).toEqual(["up compute prod"]);
  });

  it("guards every prod-touching command group", async () => {
    const argvs = [
      ["infra", "preview", "prod"],
      ["infra", "down", "soft", "prod"],
      ["infra", "refresh", "edge", "prod"],
      ["infra", "recover", "edge", "prod"],
      ["infra", "outputs", "edge", "prod"],
      ["infra", "stack-init", "edge", "prod"],
      ["lambda", "push", "--env", "prod"],
      ["service", "build", "--env", "prod"],
      ["ecs", "status", "prod"],
      ["ecs", "force-deploy-all", "prod"],
      ["ecs", "events", "backend-api", "prod"],
      ["ecr", "login", "prod"],
      ["libs", "codeartifact-login", "prod", "--domain", "d", "--repository", "r"],
      ["libs", "publish-all", "prod", "--domain", "d", "--repository", "r"],
    ];
    for (const argv of argvs) {
      const ctx = testContext({ root: root("prod", OTHER_ACCOUNT) });
      expect([argv, await run(ctx, ...argv)]).toEqual([argv, 3]);
      expect(ctx.fake.calls).toEqual([]);
      expect(ctx.execCalls).toEqual([]);
      expect(ctx.codeArtifactFake.calls).toEqual([]);
    }
  });

  it("refuses prod's persistent teardown from another account before asking", async () => {
    const ctx = testContext({ root: root("prod", OTHER_ACCOUNT), interactive: true, answer: CONFIRM_PHRASE });
    expect(await run(ctx, "infra", "down", "persistent", "prod")).toBe(3);
    expect(ctx.prompts).toEqual([]);
    expect(ctx.fake.calls).toEqual([]);
  });
});
