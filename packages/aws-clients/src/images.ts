/**
 * The docker-build images a stack's state records, and their check against ECR with the caller's own
 * credentials. Shared by every refresh of the platform: the drift detector (its function's role) and
 * `tradai infra refresh|recover` (the operator's credentials); both leave the images out of the Pulumi
 * refresh and ask ECR instead.
 *
 * Why not the provider's refresh: docker-build's `Image.Read` (v0.0.22, provider/internal/image.go) looks
 * the pushed digest up in the registry with the `registries` credentials of the inputs it is given, which
 * take precedence over the provider's and the host's (client.go: "host, config, args"). A refresh hands
 * it the inputs recorded in state (the engine's RefreshStep reads with `s.old.Inputs`, also when the
 * program runs), so it always uses the ECR password of the last `up`, which ECR expires after 12 hours;
 * on that error it leaves the state unchanged and only warns. So after 12 hours a refresh can no longer
 * tell a deleted image from a present one, with or without `runProgram`. The same question asked of ECR's
 * API (`DescribeImages` by digest) needs no registry password: the caller's own credentials sign it.
 */
import {
  DescribeImagesCommand,
  ECRClient,
  type ECRClientConfig,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from "@aws-sdk/client-ecr";
import { recordCalls } from "@tradai/iam-recorder";
import type { EcrRepository, RecordedImage } from "./image-state";

export * from "./image-state";

/** Answers whether a repository holds a digest. */
export interface ImageRegistry {
  holds(repository: EcrRepository, digest: string, signal?: AbortSignal): Promise<boolean>;
}

/**
 * ECR's API with the caller's credentials (a function's role, an operator's profile): no registry password
 * involved. One client per region a repository is in, with the IAM call recorder attached, as the other
 * client factories of this package do.
 */
export class EcrImageRegistry implements ImageRegistry {
  private readonly clients = new Map<string, ECRClient>();

  /** @param config client settings other than the region (credentials, retries); the region is the repository's. */
  constructor(private readonly config: Omit<ECRClientConfig, "region"> = {}) {}

  async holds(repository: EcrRepository, digest: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const out = await this.client(repository.region).send(
        new DescribeImagesCommand({
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageIds: [{ imageDigest: digest }],
        }),
        signal ? { abortSignal: signal } : {},
      );
      return (out.imageDetails ?? []).some((d) => d.imageDigest === digest);
    } catch (error) {
      // Gone: the image or its whole repository. Anything else (access, throttling) is not an answer.
      if (error instanceof ImageNotFoundException || error instanceof RepositoryNotFoundException)
        return false;
      throw error;
    }
  }

  /** Releases the clients' sockets (a CLI process should not wait for them). */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private client(region: string): ECRClient {
    let client = this.clients.get(region);
    if (!client) {
      client = recordCalls(new ECRClient({ ...this.config, region }));
      this.clients.set(region, client);
    }
    return client;
  }
}

/** Per image: `same` when a repository it was pushed to still holds its digest, else `delete`. */
export async function checkImages(
  images: readonly RecordedImage[],
  registry: ImageRegistry,
  signal?: AbortSignal,
): Promise<{ same: string[]; delete: string[] }> {
  const result = { same: [] as string[], delete: [] as string[] };
  for (const image of images) {
    let held = false;
    for (const repository of image.repositories) {
      if (await registry.holds(repository, image.digest, signal)) {
        held = true;
        break;
      }
    }
    result[held ? "same" : "delete"].push(image.urn);
  }
  return result;
}
