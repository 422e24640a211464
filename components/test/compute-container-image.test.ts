import { BUILD_TAG, ContainerImage, IMAGE_EXPORT, SOURCE_DATE_EPOCH } from "../src/compute/container-image";
import { capture, captureFailure, expectWellFormed, mockPulumi, resolve } from "./harness";

const IMAGE = "docker-build:index:Image";
const REPO = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tradai/lambda-base";
const CACHE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tradai/build-cache";

beforeAll(() =>
  mockPulumi({
    state: { [IMAGE]: () => ({ digest: "sha256:feed" }) },
  }),
);

const args = {
  repositoryUrl: REPO,
  context: "../../lambdas/base",
  cacheRepositoryUrl: CACHE,
  cacheTag: "lambda-base",
};

describe("ContainerImage", () => {
  it("builds one reproducible linux/amd64 manifest, pushed under the constant tag, and refers to it by digest", async () => {
    const c = await capture((opts) => new ContainerImage("lambda-base", args, opts));
    expectWellFormed(c, "tradai:compute:ContainerImage", "lambda-base");
    const image = c.one(IMAGE, "lambda-base").inputs;
    expect(image).toMatchObject({
      context: { location: "../../lambdas/base" },
      dockerfile: { location: "../../lambdas/base/Dockerfile" },
      platforms: ["linux/amd64"],
      buildArgs: { SOURCE_DATE_EPOCH },
      exec: false,
      push: false,
      exports: [{ raw: IMAGE_EXPORT }],
      tags: [`${REPO}:${BUILD_TAG}`],
      registries: [
        { address: "123456789012.dkr.ecr.eu-central-1.amazonaws.com", username: "AWS", password: "token" },
      ],
      cacheFrom: [{ registry: { ref: `${CACHE}:lambda-base` } }],
      cacheTo: [
        { registry: { ref: `${CACHE}:lambda-base`, imageManifest: true, ociMediaTypes: true, mode: "max" } },
      ],
      buildOnPreview: false,
    });
    expect(image.context).not.toHaveProperty("named");
    expect(await resolve(c.component.ref)).toBe(`${REPO}@sha256:feed`);
  });

  it("reads but does not export the cache on Docker's default driver, and passes named contexts and build args", async () => {
    const c = await capture(
      (opts) =>
        new ContainerImage(
          "fn",
          {
            ...args,
            context: "../../lambdas/fn",
            namedContexts: { base: "docker-image://repo@sha256:base" },
            buildArgs: { SOURCE_DATE_EPOCH: "123", EXTRA: "1" },
            registryCache: false,
            platform: "linux/arm64",
          },
          opts,
        ),
    );
    const image = c.one(IMAGE, "fn").inputs;
    expect(image).not.toHaveProperty("cacheTo");
    expect(image.cacheFrom).toEqual([{ registry: { ref: `${CACHE}:lambda-base` } }]);
    expect(image.context).toEqual({
      location: "../../lambdas/fn",
      named: { base: { location: "docker-image://repo@sha256:base" } },
    });
    // SOURCE_DATE_EPOCH is the build's own: a caller cannot override it.
    expect(image.buildArgs).toEqual({ EXTRA: "1", SOURCE_DATE_EPOCH });
    expect(image.platforms).toEqual(["linux/arm64"]);
  });

  it.each([
    ["context", { context: "/home/ci/lambdas/base" }],
    ["dockerfile", { dockerfile: "C:\\repo\\Dockerfile" }],
  ])("rejects an absolute %s (inputs would differ between checkouts), creating nothing", async (key, bad) => {
    const { error, registered } = await captureFailure(() => new ContainerImage("bad", { ...args, ...bad }));
    expect(error.message).toMatch(new RegExp(`^ContainerImage bad: ${key} ".*" is absolute`));
    expect(registered).toEqual(["tradai:compute:ContainerImage::bad"]);
  });
});
