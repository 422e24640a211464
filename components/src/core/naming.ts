/**
 * Physical names. Every AWS name the platform creates comes from {@link physicalName}, so names are
 * predictable (`tradai-<env>-<parts>`), grep-able, and fit each service's length limit.
 */
import { createHash } from "node:crypto";
import type { Environment } from "@tradai/contracts";

export const PROJECT = "tradai";

/** Options for {@link physicalName}. */
export interface NameOptions {
  /** Longest name the AWS service accepts; longer names keep a hash suffix. @default 64 */
  maxLength?: number;
  /** Separator between parts (some services forbid `-`). @default "-" */
  separator?: string;
}

/**
 * `tradai-<env>-<part>-<part>...`, lower-case. A name longer than `maxLength` is cut and ends with an
 * 8-character hash of the full name, so two long names never collide.
 *
 * @example physicalName("prod", "jobs") // "tradai-prod-jobs"
 */
export function physicalName(
  env: Environment,
  parts: string | readonly string[],
  options: NameOptions = {},
): string {
  const separator = options.separator ?? "-";
  const maxLength = options.maxLength ?? 64;
  const all = [PROJECT, env, ...(typeof parts === "string" ? [parts] : parts)];
  const name = all
    .map((p) => p.toLowerCase().replace(/[^a-z0-9-]+/g, "-"))
    .join(separator)
    .replace(/-+/g, "-");
  if (name.length <= maxLength) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, maxLength - hash.length - 1).replace(/-$/, "")}${separator}${hash}`;
}
