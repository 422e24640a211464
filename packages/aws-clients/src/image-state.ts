/**
 * The docker-build images a Pulumi state records: their URNs, digests and ECR repositories. No AWS SDK
 * here, so the CLI can name the type token without loading the ECR client (`./images` does the lookup).
 */
import { z } from "zod";

/** Type token of the images the compute layer builds (`components/src/compute/container-image.ts`). */
export const IMAGE_TYPE = "docker-build:index:Image";

/** One image in state: where it was pushed and the digest the state expects there. */
export interface RecordedImage {
  urn: string;
  digest: string;
  /** Every ECR repository one of its tags names (docker-build keeps the image while one still has it). */
  repositories: EcrRepository[];
}

export interface EcrRepository {
  registryId: string;
  region: string;
  name: string;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>[:tag][@digest]` */
const ECR_REFERENCE =
  /^(?<registryId>\d{12})\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(?<name>[a-z0-9._/-]+?)(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function ecrRepository(reference: string): EcrRepository | undefined {
  const groups = ECR_REFERENCE.exec(reference)?.groups;
  if (!groups?.registryId || !groups.region || !groups.name) return undefined;
  return { registryId: groups.registryId, region: groups.region, name: groups.name };
}

/** What `pulumi stack export` prints, as far as images are concerned (secrets stay encrypted). */
const ExportedState = z.object({
  deployment: z.object({
    resources: z
      .array(
        z.object({
          urn: z.string(),
          type: z.string(),
          delete: z.boolean().optional(),
          outputs: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .optional(),
  }),
});

/** Image outputs docker-build records: the digest it pushed and the tags it pushed it under. */
const ImageOutputs = z.object({
  digest: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

/**
 * The docker-build images of an exported state, with their URNs (every one, also those pending deletion:
 * a refresh must leave them all to {@link checkImages}) and, for the live ones that were pushed, what to
 * look up. An image whose tags name no ECR repository cannot be checked here: an error, naming it.
 */
export function recordedImages(exported: unknown): { urns: string[]; images: RecordedImage[] } {
  const resources = ExportedState.parse(exported).deployment.resources ?? [];
  const ofType = resources.filter((r) => r.type === IMAGE_TYPE);
  const images: RecordedImage[] = [];
  for (const resource of ofType) {
    if (resource.delete) continue;
    const outputs = ImageOutputs.safeParse(resource.outputs ?? {});
    if (!outputs.success) throw new Error(`${resource.urn}: unexpected image outputs in state`);
    const { digest, tags = [] } = outputs.data;
    // Not pushed (no digest): docker-build itself has nothing to look up either.
    if (!digest) continue;
    const repositories = tags.map((tag) => ecrRepository(tag));
    const unknown = tags.filter((_, n) => repositories[n] === undefined);
    if (unknown.length > 0 || tags.length === 0) {
      throw new Error(
        `${resource.urn}: cannot check an image pushed outside ECR (tags: ${tags.join(", ") || "none"})`,
      );
    }
    images.push({ urn: resource.urn, digest, repositories: repositories as EcrRepository[] });
  }
  return { urns: [...new Set(ofType.map((r) => r.urn))], images };
}
