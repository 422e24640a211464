/** The tags every resource carries, applied once through the AWS provider's `defaultTags`. */
import type { Environment, Layer } from "./platform";

export const REQUIRED_TAG_KEYS = ["Project", "Environment", "Layer", "ManagedBy", "Repository"] as const;
export type RequiredTagKey = (typeof REQUIRED_TAG_KEYS)[number];

export function defaultTags(
  env: Environment,
  layer: Layer | "bootstrap",
  repository: string,
): Record<RequiredTagKey, string> {
  return {
    Project: "tradai",
    Environment: env,
    Layer: layer,
    ManagedBy: "pulumi",
    Repository: repository,
  };
}
