/**
 * The workspace packages published to CodeArtifact for the separate strategies repository (spec section
 * 7). Only `@tradai/lambda-common` is publishable: it holds the shared schemas (jobs, strategies,
 * messages) and clients. The others are internal (Pulumi components, test helpers, programs).
 */
import { UsageError } from "../errors";

/** Package name -> folder (relative to the repository root). */
export const PUBLISHABLE_PACKAGES = {
  "@tradai/lambda-common": "lambdas/common",
} as const;
export type PublishablePackage = keyof typeof PUBLISHABLE_PACKAGES;
export const PUBLISHABLE_NAMES = Object.keys(PUBLISHABLE_PACKAGES) as PublishablePackage[];

/** The npm scope all publishable packages share (the `@tradai:registry` of `.npmrc`). */
export const SCOPE = "tradai";

/** Accepts `@tradai/lambda-common` or `lambda-common`. */
export function parsePublishable(value: string): PublishablePackage {
  const name = value.startsWith("@") ? value : `@${SCOPE}/${value}`;
  if (name in PUBLISHABLE_PACKAGES) return name as PublishablePackage;
  throw new UsageError(`unknown library "${value}"; valid libraries: ${PUBLISHABLE_NAMES.join(", ")}`);
}

/** `lambda-common` of `@tradai/lambda-common`. */
export function unscoped(name: PublishablePackage): string {
  return name.slice(name.indexOf("/") + 1);
}
