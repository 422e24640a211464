/**
 * Layer plans made with the stacks' own config, kept in a directory to reuse them across processes that
 * plan the same checkout: the jest workers of one test run, and the `pnpm plan` they spawn (the jest
 * global setup sets {@link PLAN_CACHE_ENV} to a directory of that run). Unset, nothing is cached.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Environment, Layer } from "@tradai/contracts";
import type { LayerPlan } from "./plan-types";

export const PLAN_CACHE_ENV = "TRADAI_PLAN_CACHE_DIR";

const fileOf = (env: Environment, layer: Layer) => {
  const dir = process.env[PLAN_CACHE_ENV];
  return dir ? path.join(dir, `${env}-${layer}.json`) : undefined;
};

/** The cached plan of `layer` for `env`, if one was made. */
export function cachedPlan(env: Environment, layer: Layer): LayerPlan | undefined {
  const file = fileOf(env, layer);
  return file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as LayerPlan) : undefined;
}

/** Keeps `plan` (made with the stack's own config and upstream) for the next caller. */
export function cachePlan(env: Environment, layer: Layer, plan: LayerPlan): void {
  const file = fileOf(env, layer);
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside then renamed: a reader in another process sees a whole plan or none.
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(plan));
  fs.renameSync(partial, file);
}
