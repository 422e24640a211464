/** State exports and ECR images for the tests of every refresh (the drift detector, `tradai infra refresh`). */
import { CreateRepositoryCommand, type ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import { TEST_ACCOUNT_ID, TEST_REGION } from "@tradai/testing";
import { IMAGE_TYPE } from "../src/images";

export const REGISTRY = `${TEST_ACCOUNT_ID}.dkr.ecr.${TEST_REGION}.amazonaws.com`;
/** A digest no repository holds. */
export const ABSENT = `sha256:${"0".repeat(64)}`;

/** A state export as `pulumi stack export` prints it (only what matters here). */
export function exportedState(
  resources: { urn: string; type: string; delete?: boolean; outputs?: Record<string, unknown> }[],
) {
  return { version: 3, deployment: { manifest: {}, resources } };
}

export const imageUrn = (name: string) =>
  `urn:pulumi:dev::tradai-compute::tradai:compute:PlatformImages$tradai:compute:ContainerImage$${IMAGE_TYPE}::${name}`;

/** Pushes a manifest to a new repository of the emulator; returns the digest ECR gives it. */
export async function pushImage(ecr: ECRClient, repository: string, content: string): Promise<string> {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 2, digest: content },
    layers: [],
  });
  const out = await ecr.send(
    new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: "latest" }),
  );
  const digest = out.image?.imageId?.imageDigest;
  if (!digest) throw new Error("the emulator returned no digest");
  return digest;
}
