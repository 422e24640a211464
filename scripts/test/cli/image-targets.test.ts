/** `lambda|service build|push`: targeted updates of the compute stack, URNs taken from its state. */
import { imageTargets } from "../../src/cli/infra/image-targets";
import type { StateResource } from "../../src/cli/infra/stack-runner";
import { runCli } from "../../src/cli/program";
import { type TestContext, testContext } from "./helpers";

const P = "urn:pulumi:dev::tradai-compute::";
const component = (type: string, name: string, parent?: string): StateResource => ({
  urn: `${P}${type}::${name}`,
  type,
  ...(parent ? { parent } : {}),
});

const IMAGE = "docker-build:index:Image";
const CONTAINER = "tradai:images:ContainerImage";
const PLATFORM = "tradai:images:PlatformImages";
const imageUrn = (name: string) => `${P}${PLATFORM}$${CONTAINER}$${IMAGE}::${name}`;

/**
 * A compute state shaped like the compute program's: `PlatformImages` "images" holding one
 * `ContainerImage` per image with a docker-build Image child of the same name, Lambda functions that use
 * them, and a Lambda packaged the other accepted way (component `tradai-lambda-<name>`).
 */
function computeState(): StateResource[] {
  const stack = component("pulumi:pulumi:Stack", "tradai-compute-dev");
  const images = component(PLATFORM, "images", stack.urn);
  const state: StateResource[] = [stack, images];
  for (const name of [
    "images-lambda-base",
    "images-lambda-sqs-consumer",
    "images-lambda-update-status",
    "images-backend",
  ]) {
    const container = { urn: `${P}${PLATFORM}$${CONTAINER}::${name}`, type: CONTAINER, parent: images.urn };
    state.push(container, { urn: imageUrn(name), type: IMAGE, parent: container.urn });
  }
  const fn = component("tradai:compute:ContainerFunction", "sqs-consumer", stack.urn);
  state.push(fn, {
    urn: `${P}tradai:compute:ContainerFunction$aws:lambda/function:Function::sqs-consumer`,
    type: "aws:lambda/function:Function",
    parent: fn.urn,
  });
  const legacy = component("tradai:compute:LambdaFunction", "tradai-lambda-drift-monitor", stack.urn);
  state.push(legacy, {
    urn: `${P}tradai:compute:LambdaFunction$${IMAGE}::drift-monitor-image`,
    type: IMAGE,
    parent: legacy.urn,
  });
  return state;
}

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe("imageTargets", () => {
  it("finds a Lambda's Image by the compute program's name and nothing else", () => {
    const { targets, missing } = imageTargets(computeState(), "lambda", ["sqs-consumer"]);
    expect(targets).toEqual([imageUrn("images-lambda-sqs-consumer")]);
    expect(missing).toEqual([]);
  });

  it("finds Images inside a tradai-lambda-<name> component and reports names without an image", () => {
    const { targets, missing } = imageTargets(computeState(), "lambda", [
      "base",
      "drift-monitor",
      "orphan-scanner",
    ]);
    expect(targets).toEqual([
      imageUrn("images-lambda-base"),
      `${P}tradai:compute:LambdaFunction$${IMAGE}::drift-monitor-image`,
    ]);
    expect(missing).toEqual(["orphan-scanner"]);
  });

  it("does not confuse a Lambda with one whose name ends the same way", () => {
    const state = [
      component(IMAGE, "images-lambda-check-retraining-needed"),
      component(IMAGE, "images-lambda-retraining-needed"),
    ];
    expect(imageTargets(state, "lambda", ["retraining-needed"]).targets).toEqual([
      `${P}${IMAGE}::images-lambda-retraining-needed`,
    ]);
  });

  it("keeps Lambda and service images apart", () => {
    expect(imageTargets(computeState(), "service", ["backend"]).targets).toEqual([
      imageUrn("images-backend"),
    ]);
    expect(imageTargets(computeState(), "service", ["sqs-consumer"]).missing).toEqual(["sqs-consumer"]);
  });
});

describe("lambda and service build/push", () => {
  it("push updates the Lambda's image and everything depending on it", async () => {
    const ctx = testContext();
    ctx.fake.resources.set("compute", computeState());
    expect(await run(ctx, "lambda", "push", "update-status", "--env", "staging")).toBe(0);
    expect(ctx.fake.calls.map((c) => [c.op, c.layer, c.env, c.options])).toEqual([
      ["resources", "compute", "staging", undefined],
      [
        "up",
        "compute",
        "staging",
        {
          target: [imageUrn("images-lambda-update-status")],
          targetDependents: true,
        },
      ],
    ]);
  });

  it("build updates only the image (functions keep their digest)", async () => {
    const ctx = testContext();
    ctx.fake.resources.set("compute", computeState());
    expect(await run(ctx, "lambda", "build", "base")).toBe(0);
    const up = ctx.fake.calls.find((c) => c.op === "up");
    expect(up?.env).toBe("dev");
    expect(up?.options).toEqual({
      target: [imageUrn("images-lambda-base")],
      targetDependents: false,
    });
  });

  it("service push targets the service image with dependents", async () => {
    const ctx = testContext();
    ctx.fake.resources.set("compute", computeState());
    expect(await run(ctx, "service", "push", "backend")).toBe(0);
    expect(ctx.fake.calls.find((c) => c.op === "up")?.options).toEqual({
      target: [imageUrn("images-backend")],
      targetDependents: true,
    });
  });

  it("refuses to update when an image is not in the stack, and says to deploy compute", async () => {
    const ctx = testContext();
    ctx.fake.resources.set("compute", computeState());
    expect(await run(ctx, "lambda", "push")).toBe(1);
    expect(ctx.fake.calls.some((c) => c.op === "up")).toBe(false);
    expect(ctx.io.stderr.join("\n")).toContain("pnpm tradai infra up compute dev");
  });

  it("lambda list prints the discovered Lambdas", async () => {
    const ctx = testContext();
    expect(await run(ctx, "lambda", "list", "--json")).toBe(0);
    const names = JSON.parse(ctx.io.stdout.join("\n")) as string[];
    expect(names).toContain("sqs-consumer");
    expect(names).not.toContain("common");
    expect(names).toEqual([...names].sort());
  });
});
