/** `images check`, `lambda|service check-images` and `ecr login` against the local AWS emulator. */
import * as fs from "node:fs";
import * as path from "node:path";
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import { TEST_REGION, useMoto } from "@tradai/testing";
import type { ImageCheck } from "../../src/cli/aws/ecr";
import { parseImageRef } from "../../src/cli/aws/ecr";
import { runCli } from "../../src/cli/program";
import { type TestContext, tempDir, testContext } from "./helpers";

const moto = useMoto();
const REGISTRY = "123456789012.dkr.ecr.eu-central-1.amazonaws.com";
const ABSENT = `sha256:${"0".repeat(64)}`;
let ecr: ECRClient;
let root: string;
const digests: Record<string, string> = {};

/** Pushes a distinct manifest to a new repository and returns its digest. */
async function pushImage(repository: string): Promise<string> {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      size: 7,
      digest: `sha256:${repository.length}`,
    },
    layers: [
      {
        mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
        size: 1,
        digest: `sha256:${repository}`,
      },
    ],
  });
  const result = await ecr.send(
    new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: "v1" }),
  );
  const digest = result.image?.imageId?.imageDigest;
  if (!digest) throw new Error("moto returned no digest");
  return digest;
}

beforeAll(async () => {
  ecr = new ECRClient({ region: TEST_REGION, endpoint: moto().url });
  // A checkout with two Lambdas: alpha and beta (plus base and common, which are not Lambdas).
  root = tempDir();
  for (const dir of ["alpha", "beta", "base", "common"]) {
    fs.mkdirSync(path.join(root, "lambdas", dir), { recursive: true });
    if (dir !== "common") fs.writeFileSync(path.join(root, "lambdas", dir, "Dockerfile"), "FROM scratch\n");
  }
  for (const repo of [
    "tradai/dev/lambda-base",
    "tradai/dev/lambda-alpha",
    "tradai/dev/backend",
    "tradai/dev/data-collection",
    "tradai/dev/strategy-service",
    "tradai/dev/mlflow",
  ]) {
    digests[repo] = await pushImage(repo);
  }
  await ecr.send(new CreateRepositoryCommand({ repositoryName: "tradai/dev/lambda-beta" }));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function ref(repo: string, digest = digests[repo] ?? ABSENT): string {
  return `${REGISTRY}/${repo}@${digest}`;
}

/** Compute outputs where beta's digest is not in ECR. */
function withComputeImages(ctx: TestContext, betaDigest = ABSENT): void {
  ctx.fake.outputs.set("compute", {
    images: {
      value: {
        base: ref("tradai/dev/lambda-base"),
        lambdas: { alpha: ref("tradai/dev/lambda-alpha"), beta: ref("tradai/dev/lambda-beta", betaDigest) },
        services: {
          backend: ref("tradai/dev/backend"),
          "data-collection": ref("tradai/dev/data-collection"),
          "strategy-service": ref("tradai/dev/strategy-service"),
          mlflow: ref("tradai/dev/mlflow"),
        },
      },
      secret: false,
    },
  });
}

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe("image checks against the compute stack's digests", () => {
  it("reports each image and fails when a deployed digest is not in ECR", async () => {
    const ctx = testContext({ root });
    withComputeImages(ctx);
    expect(await run(ctx, "images", "check", "dev", "--json")).toBe(1);
    const checks = JSON.parse(ctx.io.stdout.join("\n")) as ImageCheck[];
    expect(checks.map((c) => [c.kind, c.name, c.status])).toEqual([
      ["base", "lambda-base", "present"],
      ["lambda", "alpha", "present"],
      ["lambda", "beta", "missing"],
      ["service", "backend", "present"],
      ["service", "data-collection", "present"],
      ["service", "strategy-service", "present"],
      ["service", "mlflow", "present"],
    ]);
    expect(checks[1]?.digest).toBe(digests["tradai/dev/lambda-alpha"]);
    expect(ctx.io.stderr.join("\n")).toContain("1 of 7 images are not in ECR: beta");
  });

  it("service check-images passes when every service digest exists", async () => {
    const ctx = testContext({ root });
    withComputeImages(ctx);
    expect(await run(ctx, "service", "check-images", "dev", "--json")).toBe(0);
    const checks = JSON.parse(ctx.io.stdout.join("\n")) as ImageCheck[];
    expect(checks.map((c) => c.name)).toEqual(["backend", "data-collection", "strategy-service", "mlflow"]);
  });

  it("lambda check-images flags a discovered Lambda the stack does not deploy", async () => {
    const ctx = testContext({ root });
    withComputeImages(ctx);
    const images = ctx.fake.outputs.get("compute")?.images?.value as { lambdas: Record<string, string> };
    delete images.lambdas.beta;
    expect(await run(ctx, "lambda", "check-images", "dev", "--json")).toBe(1);
    const checks = JSON.parse(ctx.io.stdout.join("\n")) as ImageCheck[];
    expect(checks.find((c) => c.name === "beta")?.status).toBe("not-deployed");
  });
});

describe("image checks without the compute stack (naming convention)", () => {
  it("needs at least one image in each repository", async () => {
    const ctx = testContext({ root });
    expect(await run(ctx, "lambda", "check-images", "dev", "--json")).toBe(1);
    const checks = JSON.parse(ctx.io.stdout.join("\n")) as ImageCheck[];
    expect(Object.fromEntries(checks.map((c) => [c.repository, c.status]))).toEqual({
      "tradai/dev/lambda-base": "present",
      "tradai/dev/lambda-alpha": "present",
      "tradai/dev/lambda-beta": "missing",
    });
    expect(ctx.io.stderr.join("\n")).toContain("pnpm tradai infra up compute dev");
  });

  it("reports a repository that does not exist", async () => {
    const ctx = testContext({ root });
    fs.mkdirSync(path.join(root, "lambdas", "gamma"));
    fs.writeFileSync(path.join(root, "lambdas", "gamma", "Dockerfile"), "FROM scratch\n");
    try {
      expect(await run(ctx, "lambda", "check-images", "dev", "--json")).toBe(1);
      const checks = JSON.parse(ctx.io.stdout.join("\n")) as ImageCheck[];
      expect(checks.find((c) => c.name === "gamma")?.status).toBe("no-repository");
    } finally {
      fs.rmSync(path.join(root, "lambdas", "gamma"), { recursive: true });
    }
  });
});

describe("parseImageRef", () => {
  it("splits registry, repository, digest and tag", () => {
    expect(parseImageRef(`${REGISTRY}/tradai/lambda-a@sha256:abc`)).toEqual({
      repository: "tradai/lambda-a",
      digest: "sha256:abc",
    });
    expect(parseImageRef("localhost:5000/tradai/dev/backend:v1")).toEqual({
      repository: "tradai/dev/backend",
      tag: "v1",
    });
    expect(parseImageRef("tradai/dev/backend")).toEqual({ repository: "tradai/dev/backend" });
  });
});

describe("ecr login", () => {
  it("passes ECR's credentials to docker login on stdin", async () => {
    const ctx = testContext();
    expect(await run(ctx, "ecr", "login", "dev")).toBe(0);
    expect(ctx.execCalls).toHaveLength(1);
    const call = ctx.execCalls[0];
    expect(call?.command).toBe("docker");
    expect(call?.args.slice(0, 4)).toEqual(["login", "--username", "AWS", "--password-stdin"]);
    expect(call?.args[4]).toMatch(/\.dkr\.ecr\.eu-central-1\.amazonaws\.com$/);
    expect(call?.options?.input).toBeTruthy();
    expect(call?.args.join(" ")).not.toContain(call?.options?.input ?? "<none>");
  });

  it("fails when docker login fails", async () => {
    const ctx = testContext({ exitCodes: { docker: 1 } });
    expect(await run(ctx, "ecr", "login", "dev")).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain("docker login");
  });
});
