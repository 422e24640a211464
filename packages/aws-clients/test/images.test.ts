/**
 * The images a state records, and their check against ECR (the emulator) with the caller's credentials:
 * no registry password is involved, so the answer does not depend on when the image was pushed.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { TEST_ACCOUNT_ID, TEST_REGION, useMoto } from "@tradai/testing";
import { checkImages, EcrImageRegistry, ecrRepository, IMAGE_TYPE, recordedImages } from "../src/images";
import { ABSENT, exportedState, imageUrn, pushImage, REGISTRY } from "../testing/images";

describe("the images a state records", () => {
  it("reads every docker-build image's digest and ECR repositories, and lists every image URN", () => {
    const live = imageUrn("images-lambda-sqs-consumer");
    const pending = imageUrn("images-backend");
    const { urns, images } = recordedImages(
      exportedState([
        {
          urn: "urn:pulumi:dev::tradai-compute::aws:lambda/function:Function::f",
          type: "aws:lambda/function:Function",
        },
        {
          urn: live,
          type: IMAGE_TYPE,
          outputs: {
            digest: `sha256:${"a".repeat(64)}`,
            tags: [`${REGISTRY}/tradai-dev-lambda-sqs-consumer:latest`],
          },
        },
        // Pending deletion: left out of the refresh too, but not checked (it is meant to go).
        {
          urn: pending,
          type: IMAGE_TYPE,
          delete: true,
          outputs: { digest: ABSENT, tags: [`${REGISTRY}/b:latest`] },
        },
        // Never pushed: nothing to look up, as for docker-build itself.
        { urn: imageUrn("images-local"), type: IMAGE_TYPE, outputs: { tags: [`${REGISTRY}/local:latest`] } },
      ]),
    );
    expect(urns).toEqual([live, pending, imageUrn("images-local")]);
    expect(images).toEqual([
      {
        urn: live,
        digest: `sha256:${"a".repeat(64)}`,
        repositories: [
          { registryId: TEST_ACCOUNT_ID, region: TEST_REGION, name: "tradai-dev-lambda-sqs-consumer" },
        ],
      },
    ]);
  });

  it("refuses an image it cannot check, naming it, rather than calling it present", () => {
    const urn = imageUrn("images-elsewhere");
    expect(() =>
      recordedImages(
        exportedState([
          { urn, type: IMAGE_TYPE, outputs: { digest: ABSENT, tags: ["docker.io/library/x:1"] } },
        ]),
      ),
    ).toThrow(`${urn}: cannot check an image pushed outside ECR (tags: docker.io/library/x:1)`);
    expect(() => recordedImages({ deployment: { resources: "none" } })).toThrow();
  });

  it("parses ECR references with and without tag and digest", () => {
    expect(ecrRepository(`${REGISTRY}/a/b-c:1.2@sha256:${"f".repeat(64)}`)).toEqual({
      registryId: TEST_ACCOUNT_ID,
      region: TEST_REGION,
      name: "a/b-c",
    });
    expect(ecrRepository("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/x")?.region).toBe("cn-north-1");
    expect(ecrRepository("ghcr.io/a/b:latest")).toBeUndefined();
  });
});

describe("EcrImageRegistry (emulator)", () => {
  useMoto();
  let ecr: ECRClient;
  beforeAll(() => {
    ecr = new ECRClient({});
  });
  afterAll(() => ecr.destroy());

  it("finds a pushed digest, and reports a deleted image or repository as gone", async () => {
    const digest = await pushImage(ecr, "tradai-test-lambda-a", "sha256:one");
    const registry = new EcrImageRegistry();
    const repo = { registryId: TEST_ACCOUNT_ID, region: TEST_REGION, name: "tradai-test-lambda-a" };
    expect(await registry.holds(repo, digest)).toBe(true);
    expect(await registry.holds(repo, ABSENT)).toBe(false);
    expect(await registry.holds({ ...repo, name: "tradai-test-gone" }, digest)).toBe(false);

    const live = { urn: imageUrn("live"), digest, repositories: [repo] };
    const gone = { urn: imageUrn("gone"), digest: ABSENT, repositories: [repo] };
    expect(await checkImages([live, gone], registry)).toEqual({ same: [live.urn], delete: [gone.urn] });
  });

  it("does not call an image gone when ECR gives no answer", async () => {
    const registry = new EcrImageRegistry();
    // A region the emulator is not reachable as: any error other than "not found" must surface.
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
    try {
      await expect(
        registry.holds({ registryId: TEST_ACCOUNT_ID, region: "us-west-2", name: "x" }, ABSENT),
      ).rejects.toThrow();
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});
