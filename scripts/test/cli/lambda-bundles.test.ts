/** Compute previews and updates build every Lambda bundle first; other layers are left alone. */
import { CliError } from "../../src/cli/errors";
import { withLambdaBundles } from "../../src/cli/infra/lambda-bundles";
import { FakeStacks } from "./helpers";

function setUp(buildFails = false) {
  const fake = new FakeStacks();
  const order: string[] = [];
  const build = async () => {
    order.push("build");
    if (buildFails) throw new CliError("Lambda bundle(s) did not build");
  };
  const runner = async (layer: "persistent" | "compute") => {
    const wrapped = withLambdaBundles(await fake.factory(layer, "dev"), build);
    return {
      async up() {
        await wrapped.up({});
        order.push(`up ${layer}`);
      },
      async preview() {
        await wrapped.preview({});
        order.push(`preview ${layer}`);
      },
      async destroy() {
        await wrapped.destroy({});
        order.push(`destroy ${layer}`);
      },
    };
  };
  return { fake, order, runner };
}

describe("withLambdaBundles", () => {
  it("builds the bundles before each compute up and preview", async () => {
    const { order, runner } = setUp();
    const compute = await runner("compute");
    await compute.preview();
    await compute.up();
    expect(order).toEqual(["build", "preview compute", "build", "up compute"]);
  });

  it("does not build for other layers or for a destroy", async () => {
    const { order, runner } = setUp();
    await (await runner("persistent")).up();
    await (await runner("compute")).destroy();
    expect(order).toEqual(["up persistent", "destroy compute"]);
  });

  it("leaves compute untouched when a bundle does not build", async () => {
    const { fake, order, runner } = setUp(true);
    await expect((await runner("compute")).up()).rejects.toThrow("Lambda bundle(s) did not build");
    expect(order).toEqual(["build"]);
    expect(fake.calls).toEqual([]);
  });
});
