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

/** A compute state: base image, two Lambda components (image + function inside), one service image. */
function computeState(): StateResource[] {
  const stack = component("pulumi:pulumi:Stack", "tradai-compute-dev");
  const base = component("docker-build:index:Image", "tradai-lambda-base", stack.urn);
  const sqs = component("tradai:compute:LambdaFunction", "tradai-lambda-sqs-consumer", stack.urn);
  const sqsImage = component(
    "tradai:compute:LambdaFunction$docker-build:index:Image",
    "sqs-consumer-image",
    sqs.urn,
  );
  sqsImage.type = "docker-build:index:Image";
  const sqsFn = {
    urn: `${P}tradai:compute:LambdaFunction$aws:lambda/function:Function::sqs-consumer`,
    type: "aws:lambda/function:Function",
    parent: sqs.urn,
  };
  const upd = component("tradai:compute:LambdaFunction", "tradai-lambda-update-status", stack.urn);
  const updImage = {
    urn: `${P}tradai:compute:LambdaFunction$docker-build:index:Image::update-status-image`,
    type: "docker-build:index:Image",
    parent: upd.urn,
  };
  const backendImage = component("docker-build:index:Image", "tradai-service-backend", stack.urn);
  return [stack, base, sqs, sqsImage, sqsFn, upd, updImage, backendImage];
}

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe("imageTargets", () => {
  it("finds the image inside a Lambda's component and nothing else", () => {
    const { targets, missing } = imageTargets(computeState(), "lambda", ["sqs-consumer"]);
    expect(targets).toEqual([
      `${P}tradai:compute:LambdaFunction$docker-build:index:Image::sqs-consumer-image`,
    ]);
    expect(missing).toEqual([]);
  });

  it("finds top-level images by their own name and reports names without one", () => {
    const { targets, missing } = imageTargets(computeState(), "lambda", ["base", "drift-monitor"]);
    expect(targets).toEqual([`${P}docker-build:index:Image::tradai-lambda-base`]);
    expect(missing).toEqual(["drift-monitor"]);
  });

  it("does not confuse a Lambda with one whose name ends the same way", () => {
    const state = [
      component("docker-build:index:Image", "tradai-lambda-check-retraining-needed"),
      component("docker-build:index:Image", "tradai-lambda-retraining-needed"),
    ];
    expect(imageTargets(state, "lambda", ["retraining-needed"]).targets).toEqual([
      `${P}docker-build:index:Image::tradai-lambda-retraining-needed`,
    ]);
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
          target: [`${P}tradai:compute:LambdaFunction$docker-build:index:Image::update-status-image`],
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
      target: [`${P}docker-build:index:Image::tradai-lambda-base`],
      targetDependents: false,
    });
  });

  it("service push targets the service image with dependents", async () => {
    const ctx = testContext();
    ctx.fake.resources.set("compute", computeState());
    expect(await run(ctx, "service", "push", "backend")).toBe(0);
    expect(ctx.fake.calls.find((c) => c.op === "up")?.options).toEqual({
      target: [`${P}docker-build:index:Image::tradai-service-backend`],
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
