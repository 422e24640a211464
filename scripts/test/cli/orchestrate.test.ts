/** Orchestration over the recording stack runner: order, refusals, recover's steps, exit codes. */
import { isInteractive } from "../../src/cli/context";
import { CONFIRM_PHRASE } from "../../src/cli/infra/orchestrate";
import { runCli } from "../../src/cli/program";
import { type TestContext, testContext } from "./helpers";

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe("infra bootstrap and up", () => {
  it("deploys the four layers in dependency order", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "bootstrap", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["up persistent dev", "up foundation dev", "up compute dev", "up edge dev"]);
  });

  it("stops at the first failing layer and says how to continue", async () => {
    const ctx = testContext();
    ctx.fake.fail("up", "compute", "image build failed");
    expect(await run(ctx, "infra", "bootstrap", "staging")).toBe(1);
    expect(ctx.fake.log).toEqual(["up persistent staging", "up foundation staging", "up compute staging"]);
    expect(ctx.io.stderr.join("\n")).toContain("image build failed");
    expect(ctx.io.stderr.join("\n")).toContain(
      "pnpm tradai infra up compute staging && pnpm tradai infra up edge staging",
    );
  });

  it("up deploys exactly the named layer", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "up", "foundation", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["up foundation dev"]);
  });
});

describe("infra down", () => {
  it("soft destroys edge then compute", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "down", "soft", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["destroy edge dev", "destroy compute dev"]);
  });

  it("all destroys edge, compute, then foundation and keeps persistent", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "down", "all", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["destroy edge dev", "destroy compute dev", "destroy foundation dev"]);
  });

  it("persistent is refused without a terminal, before asking or destroying anything", async () => {
    const ctx = testContext({ interactive: false, answer: CONFIRM_PHRASE });
    expect(await run(ctx, "infra", "down", "persistent", "dev")).toBe(3);
    expect(ctx.prompts).toEqual([]);
    expect(ctx.fake.calls).toEqual([]);
    expect(ctx.io.stderr.join("\n")).toContain("non-interactive");
  });

  it("persistent is refused when the confirmation phrase is not typed", async () => {
    const ctx = testContext({ interactive: true, answer: "yes" });
    expect(await run(ctx, "infra", "down", "persistent", "dev")).toBe(3);
    expect(ctx.prompts).toHaveLength(1);
    expect(ctx.prompts[0]).toContain(CONFIRM_PHRASE);
    expect(ctx.fake.calls).toEqual([]);
  });

  it("persistent is refused when the prompt is cancelled", async () => {
    const ctx = testContext({ interactive: true });
    expect(await run(ctx, "infra", "down", "persistent", "dev")).toBe(3);
    expect(ctx.fake.calls).toEqual([]);
  });

  it("persistent destroys only the persistent layer once confirmed", async () => {
    const ctx = testContext({ interactive: true, answer: CONFIRM_PHRASE });
    expect(await run(ctx, "infra", "down", "persistent", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["destroy persistent dev"]);
  });

  it("never counts CI or a missing TTY as interactive", () => {
    expect(isInteractive({ CI: "true" }, true)).toBe(false);
    expect(isInteractive({}, undefined)).toBe(false);
    expect(isInteractive({}, false)).toBe(false);
    expect(isInteractive({ CI: "false" }, true)).toBe(true);
  });

  it("rejects an unknown mode with the valid ones (exit 2)", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "down", "everything", "dev")).toBe(2);
    expect(ctx.io.stderr.join("\n")).toContain("soft, all, persistent");
    expect(ctx.fake.calls).toEqual([]);
  });
});

describe("infra recover", () => {
  it("cancels, refreshes clearing pending creates, then previews with diffs", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "recover", "compute", "dev", "--json")).toBe(0);
    expect(ctx.fake.calls.map((c) => [c.op, c.options])).toEqual([
      ["cancel", undefined],
      ["refresh", { clearPendingCreates: true }],
      ["preview", { diff: true }],
    ]);
    const result = JSON.parse(ctx.io.stdout.join("\n"));
    expect(result).toEqual({
      cancelled: true,
      refreshed: { create: 1, same: 3 },
      images: { present: [], missing: [] },
      drift: { create: 1, same: 3 },
      diff: "~ preview of compute (dev)",
    });
  });

  it("still refreshes and previews when there is nothing to cancel", async () => {
    const ctx = testContext();
    ctx.fake.fail("cancel", "edge", "no stack update is in progress");
    expect(await run(ctx, "infra", "recover", "edge", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["cancel edge dev", "refresh edge dev", "preview edge dev"]);
    expect(ctx.io.stdout.join("\n")).toContain("cancelled: nothing pending");
    expect(ctx.io.stdout.join("\n")).toContain("~ preview of edge (dev)");
    expect(ctx.io.stderr.join("\n")).toContain("   ~ preview of edge (dev)");
  });
});

describe("infra preview, refresh, outputs, stack-init", () => {
  it("previews all layers in order and reports every failure", async () => {
    const ctx = testContext();
    ctx.fake.fail("preview", "foundation", "stack reference not found");
    expect(await run(ctx, "infra", "preview", "dev", "--json")).toBe(1);
    expect(ctx.fake.log).toEqual([
      "preview persistent dev",
      "preview foundation dev",
      "preview compute dev",
      "preview edge dev",
    ]);
    expect(ctx.io.stderr.join("\n")).toContain("preview failed for foundation");
  });

  it("previews a single layer", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "preview", "edge", "staging", "--json")).toBe(0);
    expect(ctx.fake.log).toEqual(["preview edge staging"]);
    expect(JSON.parse(ctx.io.stdout.join("\n"))).toEqual({ edge: { create: 1, same: 3 } });
  });

  it("prints outputs as JSON with secrets masked unless asked", async () => {
    const ctx = testContext();
    ctx.fake.outputs.set("persistent", {
      bucket: { value: "tradai-dev-artifacts", secret: false },
      password: { value: "hunter2", secret: true },
    });
    expect(await run(ctx, "infra", "outputs", "persistent", "dev")).toBe(0);
    expect(JSON.parse(ctx.io.stdout.join("\n"))).toEqual({
      bucket: "tradai-dev-artifacts",
      password: "[secret]",
    });
    const shown = testContext();
    shown.fake.outputs.set("persistent", { password: { value: "hunter2", secret: true } });
    expect(await run(shown, "infra", "outputs", "persistent", "dev", "--show-secrets")).toBe(0);
    expect(JSON.parse(shown.io.stdout.join("\n"))).toEqual({ password: "hunter2" });
  });

  it("refresh and stack-init act on the named stack", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "refresh", "foundation", "staging")).toBe(0);
    expect(await run(ctx, "infra", "stack-init", "edge", "dev")).toBe(0);
    expect(ctx.fake.log).toEqual(["refresh foundation staging", "init edge dev"]);
  });
});

describe("refusals of unknown names (exit 2, valid choices listed, nothing run)", () => {
  it.each([
    [["infra", "up", "network", "dev"], "persistent, foundation, compute, edge"],
    [["infra", "up", "compute", "qa"], "dev, staging, prod"],
    [["infra", "preview", "production"], "dev, staging, prod"],
    [["ecs", "force-deploy", "frontend", "dev"], "backend-api, data-collection"],
    [["lambda", "push", "not-a-lambda"], "sqs-consumer"],
    [["service", "build", "web"], "backend, data-collection, strategy-service, mlflow"],
    [["libs", "publish", "@tradai/components", "dev"], "@tradai/lambda-common"],
  ])("%j", async (argv, choices) => {
    const ctx = testContext();
    expect(await run(ctx, ...argv)).toBe(2);
    expect(ctx.io.stderr.join("\n")).toContain(choices);
    expect(ctx.fake.calls).toEqual([]);
  });

  it("an unknown command or a missing argument is a usage error", async () => {
    const ctx = testContext();
    expect(await run(ctx, "infra", "deploy", "dev")).toBe(2);
    expect(await run(ctx, "infra", "up", "compute")).toBe(2);
    expect(ctx.fake.calls).toEqual([]);
  });
});
