import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type PersistentOutputs, SERVICE_IMAGES } from "@tradai/contracts";
import {
  BUNDLED_SERVICES,
  imageBundleSpecs,
  PlatformImages,
  serviceBundled,
} from "../src/compute/platform-images";
import { REPO_ROOT } from "../src/core/platform";
import { capture, expectWellFormed, mockPulumi } from "./harness";

const IMAGE = "docker-build:index:Image";
const REGISTRY = "123456789012.dkr.ecr.eu-central-1.amazonaws.com";
const repo = (name: string) => ({ name, arn: `arn:${name}`, url: `${REGISTRY}/${name}` });

beforeAll(() =>
  mockPulumi({
    // A digest that names the image, so the test can see which image a reference pins.
    state: { [IMAGE]: (inputs) => ({ digest: `sha256:${(inputs.tags as string[])[0]?.split("/").pop()}` }) },
  }),
);

const ecrRepositories: PersistentOutputs["ecr"] = {
  registry: REGISTRY,
  lambdaBase: repo("tradai/lambda-base"),
  buildCache: repo("tradai/build-cache"),
  lambdas: { "sqs-consumer": repo("tradai/lambda-sqs-consumer") },
  services: Object.fromEntries(
    SERVICE_IMAGES.map((svc) => [svc, repo(`tradai/${svc}`)]),
  ) as PersistentOutputs["ecr"]["services"],
};
const ecr = pulumi.output(ecrRepositories);

describe("PlatformImages", () => {
  it("builds the base, each Lambda FROM the base by digest, and every service, with contexts relative to the program", async () => {
    const c = await capture(
      (opts) =>
        new PlatformImages(
          "images",
          { ecr, lambdas: ["sqs-consumer"], programDir: path.join(REPO_ROOT, "stacks", "compute") },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:compute:PlatformImages", "images");
    const images = Object.fromEntries(c.ofType(IMAGE).map((i) => [i.name, i.inputs]));
    expect(Object.keys(images)).toEqual([
      "images-lambda-base",
      "images-lambda-sqs-consumer",
      ...SERVICE_IMAGES.map((svc) => `images-${svc}`),
    ]);
    expect(images["images-lambda-base"]).toMatchObject({
      context: { location: "../../lambdas/base" },
      dockerfile: { location: "../../lambdas/base/Dockerfile" },
      tags: [`${REGISTRY}/tradai/lambda-base:latest`],
      cacheFrom: [{ registry: { ref: `${REGISTRY}/tradai/build-cache:lambda-base` } }],
    });
    // A Lambda's context is its own folder; the base comes in as a named context pinned by digest.
    const baseDigest = "sha256:lambda-base:latest";
    expect(images["images-lambda-sqs-consumer"]).toMatchObject({
      context: {
        location: "../../lambdas/sqs-consumer",
        named: { base: { location: `docker-image://${REGISTRY}/tradai/lambda-base@${baseDigest}` } },
      },
      tags: [`${REGISTRY}/tradai/lambda-sqs-consumer:latest`],
      cacheTo: [
        expect.objectContaining({
          registry: expect.objectContaining({ ref: `${REGISTRY}/tradai/build-cache:lambda-sqs-consumer` }),
        }),
      ],
    });
    for (const svc of SERVICE_IMAGES) {
      expect(images[`images-${svc}`]).toMatchObject({
        context: { location: `../../services/${svc}` },
        tags: [`${REGISTRY}/tradai/${svc}:latest`],
      });
    }
    // Each ContainerImage sits under PlatformImages.
    expect(c.ofType("tradai:compute:ContainerImage").every((i) => i.parent?.name === "images")).toBe(true);
  });

  it("turns off the cache export for Docker's default driver and can build on preview", async () => {
    const c = await capture(
      (opts) =>
        new PlatformImages(
          "local",
          {
            ecr,
            lambdas: [],
            programDir: path.join(REPO_ROOT, "stacks", "compute"),
            registryCache: false,
            buildOnPreview: true,
          },
          opts,
        ),
    );
    for (const image of c.ofType(IMAGE)) {
      expect(image.inputs).not.toHaveProperty("cacheTo");
      expect(image.inputs.buildOnPreview).toBe(true);
    }
  });

  it("bundles every Lambda and each Node service (not MLflow) before declaring an image", () => {
    expect(SERVICE_IMAGES.filter(serviceBundled)).toEqual([...BUNDLED_SERVICES]);
    expect(serviceBundled("mlflow")).toBe(false);
    const outDirs = imageBundleSpecs(["sqs-consumer"]).map((spec) => path.relative(REPO_ROOT, spec.outDir));
    expect(outDirs).toEqual([
      path.join("lambdas", "sqs-consumer", "dist"),
      ...BUNDLED_SERVICES.map((svc) => path.join("services", svc, "dist")),
    ]);
  });
});
