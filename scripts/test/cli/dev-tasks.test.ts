/** `infra setup|test|lint|typecheck|check` with recorded child processes. */
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../src/cli/program";
import { type TestContext, tempDir, testContext } from "./helpers";

const roots: string[] = [];
afterAll(() => {
  for (const dir of roots) fs.rmSync(dir, { recursive: true, force: true });
});

/** A checkout with components, policies and two stacks (one without a tsconfig). */
function checkout(): string {
  const root = tempDir();
  roots.push(root);
  for (const dir of ["components", "policies", "stacks/persistent", "stacks/compute"]) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    if (dir !== "stacks/compute") fs.writeFileSync(path.join(root, dir, "tsconfig.json"), "{}");
  }
  return root;
}

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

const commands = (ctx: TestContext) => ctx.execCalls.map((c) => [c.command, ...c.args].join(" "));

describe("infra setup", () => {
  it("installs, creates .env (owner-only), checks the tools and logs in to the backend", async () => {
    const ctx = testContext({ root: checkout(), env: { S3_PULUMI_BACKEND_URL: "s3://state" } });
    expect(await run(ctx, "infra", "setup")).toBe(0);
    expect(commands(ctx)).toEqual([
      "pnpm install --frozen-lockfile",
      "pulumi version",
      "docker version --format {{.Server.Version}}",
      "pulumi login s3://state",
    ]);
    const dotenv = path.join(ctx.root, ".env");
    expect(fs.readFileSync(dotenv, "utf8")).toContain("PULUMI_CONFIG_PASSPHRASE=");
    expect(fs.statSync(dotenv).mode & 0o777).toBe(0o600);
  });

  it("keeps an existing .env and reports missing tools", async () => {
    const root = checkout();
    fs.writeFileSync(path.join(root, ".env"), "PULUMI_CONFIG_PASSPHRASE=mine\n");
    const ctx = testContext({ root, env: {}, exitCodes: { docker: 127 } });
    expect(await run(ctx, "infra", "setup")).toBe(1);
    expect(fs.readFileSync(path.join(root, ".env"), "utf8")).toBe("PULUMI_CONFIG_PASSPHRASE=mine\n");
    expect(ctx.io.stderr.join("\n")).toContain("setup incomplete: docker");
    expect(commands(ctx).some((c) => c.startsWith("pulumi login"))).toBe(false);
    expect(ctx.io.stderr.join("\n")).toContain("S3_PULUMI_BACKEND_URL is not set");
  });
});

describe("infra test, lint, typecheck, check", () => {
  it("run over the infrastructure folders that exist", async () => {
    const ctx = testContext({ root: checkout() });
    expect(await run(ctx, "infra", "test")).toBe(0);
    expect(await run(ctx, "infra", "lint")).toBe(0);
    expect(await run(ctx, "infra", "typecheck")).toBe(0);
    expect(commands(ctx)).toEqual([
      "pnpm exec jest components policies stacks/persistent stacks/compute",
      "pnpm exec biome check components policies stacks/persistent stacks/compute",
      "pnpm exec tsc -p components",
      "pnpm exec tsc -p policies",
      "pnpm exec tsc -p stacks/persistent",
    ]);
  });

  it("check stops at the first failing step", async () => {
    const ctx = testContext({ root: checkout(), exitCodes: { pnpm: 1 } });
    expect(await run(ctx, "infra", "check")).toBe(1);
    expect(commands(ctx)).toEqual([
      "pnpm exec biome check components policies stacks/persistent stacks/compute",
    ]);
    expect(ctx.io.stderr.join("\n")).toContain("lint failed (exit 1)");
  });
});
