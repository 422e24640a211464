import { ImageRepository } from "../src/persistent/image-repository";
import { capture, expectWellFormed, json, mockPulumi } from "./harness";

const REPOSITORY = "aws:ecr/repository:Repository";

beforeAll(() => mockPulumi());

describe("ImageRepository", () => {
  it("scans every push, encrypts, and expires untagged images after 1 day and tagged beyond 30", async () => {
    const c = await capture(
      (opts) => new ImageRepository("base", { repositoryName: "tradai/lambda-base" }, opts),
    );
    expectWellFormed(c, "tradai:persistent:ImageRepository", "base");
    const repo = c.one(REPOSITORY, "base");
    expect(repo.inputs).toEqual({
      name: "tradai/lambda-base",
      imageTagMutability: "MUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "AES256" }],
      forceDelete: true,
    });
    expect(repo.opts).not.toHaveProperty("protect");
    const lifecycle = c.one("aws:ecr/lifecyclePolicy:LifecyclePolicy", "base-lifecycle").inputs;
    expect(lifecycle.repository).toBe("tradai/lambda-base");
    expect(json(lifecycle.policy).rules.map((r: { selection: unknown }) => r.selection)).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
      { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
    ]);
  });

  it("applies the configured retention and protection", async () => {
    const c = await capture(
      (opts) =>
        new ImageRepository(
          "kept",
          { repositoryName: "tradai/kept", keepImages: 5, untaggedDays: 3, protectData: true },
          opts,
        ),
    );
    const repo = c.one(REPOSITORY, "kept");
    expect(repo.inputs.forceDelete).toBe(false);
    expect(repo.opts).toMatchObject({ protect: true, retainOnDelete: true });
    const rules = json(
      c.one("aws:ecr/lifecyclePolicy:LifecyclePolicy", "kept-lifecycle").inputs.policy,
    ).rules;
    expect(rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toEqual([3, 5]);
  });
});
