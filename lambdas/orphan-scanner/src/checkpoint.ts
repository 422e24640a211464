/** Reading what a Pulumi stack checkpoint declares: the ARNs and physical ids of its resources. */
import * as z from "zod";

/** The parts of a checkpoint (`pulumi stack export` format, version 3) this scanner reads. */
const Checkpoint = z.looseObject({
  version: z.number().optional(),
  checkpoint: z.looseObject({
    stack: z.string().optional(),
    latest: z
      .looseObject({
        resources: z
          .array(
            z.looseObject({
              urn: z.string(),
              id: z.string().optional(),
              outputs: z.record(z.string(), z.unknown()).optional(),
            }),
          )
          .nullish(),
      })
      .nullish(),
  }),
});

/** What one stack declares. */
export interface Declared {
  /** `outputs.arn` of every resource. */
  arns: Set<string>;
  /** Physical ids (`id`, `outputs.id`) of every resource. */
  ids: Set<string>;
}

/** An empty set of declarations to merge stacks into. */
export function emptyDeclared(): Declared {
  return { arns: new Set(), ids: new Set() };
}

/**
 * Adds the resources of one checkpoint to `into`. A stack that was never deployed (or was destroyed)
 * has no `latest` or no resources and adds nothing.
 * @throws when the document is not a checkpoint: scanning on without it would report its resources as orphans.
 */
export function addCheckpoint(into: Declared, text: string, where: string): number {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not JSON: ${(error as Error).message}`);
  }
  const parsed = Checkpoint.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${where} is not a Pulumi checkpoint: ${z.prettifyError(parsed.error)}`);
  }
  const resources = parsed.data.checkpoint.latest?.resources ?? [];
  for (const resource of resources) {
    if (resource.id) into.ids.add(resource.id);
    const outputs = resource.outputs ?? {};
    if (typeof outputs.arn === "string" && outputs.arn !== "") into.arns.add(outputs.arn);
    if (typeof outputs.id === "string" && outputs.id !== "") into.ids.add(outputs.id);
  }
  return resources.length;
}

/**
 * The resource identifier at the end of an ARN: `i-0abc` of `...:instance/i-0abc`, `my-queue` of
 * `arn:aws:sqs:eu-central-1:123:my-queue`, the bucket of `arn:aws:s3:::bucket`.
 */
export function arnResourceId(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  const slash = resource.lastIndexOf("/");
  if (slash >= 0) return resource.slice(slash + 1);
  const colon = resource.lastIndexOf(":");
  return colon >= 0 ? resource.slice(colon + 1) : resource;
}

/**
 * Whether a tagged resource is declared by a stack: its ARN is some resource's `arn` output or physical
 * id (SNS topics use the ARN as id), or the ARN's trailing resource id is some resource's physical id
 * (VPCs, subnets, security groups and other resources whose id is not an ARN).
 */
export function isDeclared(arn: string, declared: Declared): boolean {
  return declared.arns.has(arn) || declared.ids.has(arn) || declared.ids.has(arnResourceId(arn));
}
