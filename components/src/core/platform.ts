/**
 * Where the platform's programs live in this checkout, and the Lambda folders found there. The
 * vocabulary itself (environments, layers, services, Lambdas) is `@tradai/contracts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Layer } from "@tradai/contracts";

/** Absolute path of the repository root (this file lives in `components/src/core`). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** Absolute path of a layer's Pulumi project directory. */
export function stackDir(layer: Layer, root: string = REPO_ROOT): string {
  return path.join(root, "stacks", layer);
}

/** Folders under `lambdas/` that are not Lambda functions. */
const NOT_LAMBDAS = new Set(["base", "common"]);

/**
 * The Lambda functions of the platform: every `lambdas/<dir>` holding a `Dockerfile`, except `base` and
 * `common`, sorted by name. The one discovery rule (ARCHITECTURE.md section 3): compute, the persistent
 * layer's ECR repositories, the build scripts and `tradai lambda list` all call this.
 */
export function discoverLambdas(root: string = REPO_ROOT): string[] {
  const dir = path.join(root, "lambdas");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_LAMBDAS.has(e.name))
    .filter((e) => fs.existsSync(path.join(dir, e.name, "Dockerfile")))
    .map((e) => e.name)
    .sort();
}
