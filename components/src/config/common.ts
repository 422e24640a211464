/** Keys every layer's stack config accepts. */

import { LAYERS, type Layer, projectName } from "@tradai/contracts";
import { z } from "zod";

/**
 * - `tradai:repository` (string, default `tradai/tradai-infra`): the `Repository` tag and the GitHub
 *   repository the deploy roles trust.
 * - `tradai:accountId` (12 digits, optional): the AWS account this environment lives in. When set, the
 *   provider refuses to touch any other account and `tradai infra verify-account` checks it.
 * - `tradai:<layer>Stack` (string, optional): the stack a later layer reads, default
 *   `<org>/tradai-<layer>/<this stack>`.
 */
export const commonConfigShape = {
  repository: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, { error: "expected <owner>/<repo>" })
    .default("tradai/tradai-infra"),
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: "expected a 12-digit AWS account id" })
    .optional(),
  persistentStack: z.string().min(1).optional(),
  foundationStack: z.string().min(1).optional(),
  computeStack: z.string().min(1).optional(),
};

export type StackRefKey = "persistentStack" | "foundationStack" | "computeStack";

export function stackRefKey(layer: Exclude<Layer, "edge">): StackRefKey {
  return `${layer}Stack`;
}

/** The fully qualified name of `layer`'s stack for the same environment, unless config names another. */
export function referencedStackName(
  layer: Exclude<Layer, "edge">,
  configured: string | undefined,
  org: string,
  stack: string,
): string {
  return configured ?? `${org}/${projectName(layer)}/${stack}`;
}

export const LAYERS_BEFORE: Record<Layer, readonly Layer[]> = {
  persistent: [],
  foundation: LAYERS.slice(0, 1),
  compute: LAYERS.slice(0, 2),
  edge: LAYERS.slice(0, 3),
};
