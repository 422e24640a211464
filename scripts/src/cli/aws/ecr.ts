/**
 * Image pre-flight check (spec section 3, now `tradai images check`): every image the platform runs is in
 * ECR. With the compute stack deployed, the expected images are its `images` output (`repo@sha256:...`)
 * and each digest must exist. Without it, each expected repository (the persistent layer's names:
 * `tradai/<env>/lambda-<name>`, `tradai/<env>/lambda-base`, `tradai/<env>/<service>`) must hold at least
 * one image.
 */
import type { ECRClient } from "@aws-sdk/client-ecr";
import type { CliContext } from "../context";
import { imageOutputs, readOutputs } from "../infra/layer-outputs";
import { discoverLambdas, type Environment, SERVICE_IMAGES } from "../platform";
import { clientConfig } from "./region";

export type ImageKind = "base" | "lambda" | "service";

export interface ExpectedImage {
  kind: ImageKind;
  name: string;
  repository: string;
  /** Digest (`sha256:...`) the compute stack deployed; absent when only the repository is known. */
  digest?: string;
  tag?: string;
}

export interface ImageCheck extends ExpectedImage {
  status: "present" | "missing" | "no-repository" | "not-deployed";
}

/** Splits `<registry>/<repo>@sha256:...` or `<registry>/<repo>:tag` into repository and digest/tag. */
export function parseImageRef(ref: string): { repository: string; digest?: string; tag?: string } {
  const [withoutDigest, digest] = ref.split("@", 2) as [string, string | undefined];
  const slash = withoutDigest.indexOf("/");
  let path =
    slash >= 0 && /[.:]/.test(withoutDigest.slice(0, slash)) ? withoutDigest.slice(slash + 1) : withoutDigest;
  let tag: string | undefined;
  const colon = path.lastIndexOf(":");
  if (colon > path.lastIndexOf("/")) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  return { repository: path, ...(digest ? { digest } : {}), ...(tag && !digest ? { tag } : {}) };
}

/** The images expected for the environment, of the given kinds. */
export async function expectedImages(
  ctx: CliContext,
  env: Environment,
  kinds: readonly ImageKind[],
): Promise<{ images: ExpectedImage[]; notDeployed: ExpectedImage[] }> {
  const outputs = await readOutputs(ctx, "compute", env, imageOutputs, "image digests");
  const images: ExpectedImage[] = [];
  const notDeployed: ExpectedImage[] = [];
  const add = (kind: ImageKind, name: string, ref: string | undefined, conventional: string) => {
    if (ref) images.push({ kind, name, ...parseImageRef(ref) });
    else if (outputs) notDeployed.push({ kind, name, repository: conventional });
    else images.push({ kind, name, repository: conventional });
  };
  if (kinds.includes("base")) add("base", "lambda-base", outputs?.images.base, `tradai/${env}/lambda-base`);
  if (kinds.includes("lambda")) {
    for (const name of discoverLambdas(ctx.root)) {
      add("lambda", name, outputs?.images.lambdas[name], `tradai/${env}/lambda-${name}`);
    }
  }
  if (kinds.includes("service")) {
    for (const name of SERVICE_IMAGES)
      add("service", name, outputs?.images.services[name], `tradai/${env}/${name}`);
  }
  return { images, notDeployed };
}

async function lookup(client: ECRClient, sdk: typeof import("@aws-sdk/client-ecr"), image: ExpectedImage) {
  const imageIds = image.digest
    ? [{ imageDigest: image.digest }]
    : image.tag
      ? [{ imageTag: image.tag }]
      : undefined;
  try {
    const result = await client.send(
      new sdk.DescribeImagesCommand({
        repositoryName: image.repository,
        ...(imageIds ? { imageIds } : { maxResults: 1 }),
      }),
    );
    return (result.imageDetails?.length ?? 0) > 0 ? "present" : "missing";
  } catch (error) {
    if (error instanceof sdk.RepositoryNotFoundException) return "no-repository";
    if (error instanceof sdk.ImageNotFoundException) return "missing";
    throw error;
  }
}

/** Checks each expected image in ECR. */
export async function checkImages(
  ctx: CliContext,
  env: Environment,
  kinds: readonly ImageKind[],
): Promise<ImageCheck[]> {
  const { images, notDeployed } = await expectedImages(ctx, env, kinds);
  const sdk = await import("@aws-sdk/client-ecr");
  const client = new sdk.ECRClient(clientConfig(ctx.env));
  const checks: ImageCheck[] = [];
  for (const image of images) checks.push({ ...image, status: await lookup(client, sdk, image) });
  for (const image of notDeployed) checks.push({ ...image, status: "not-deployed" });
  return checks;
}
