/** Environment of check-retraining-needed (docs/runtime-contracts.md). */

import { type ModelName, RetrainingModelConfig } from "@tradai/contracts";
import { InvalidEventError, jsonString, loadEnv, positiveNumber } from "@tradai/lambda-common";
import * as z from "zod";

/** A floor on one metric of the champion's training run: below it (above it for `lower`) means retrain. */
export const PerformanceFloor = z.object({
  /** MLflow run metric key, e.g. `sharpe`. */
  metric: z.string().min(1),
  /** The worst acceptable value. */
  threshold: z.number(),
  /** Whether higher values are better (`higher`, default) or lower ones (`lower`, e.g. max drawdown). */
  direction: z.enum(["higher", "lower"]).default("higher"),
});
export type PerformanceFloor = z.infer<typeof PerformanceFloor>;

/**
 * One `RETRAINING_MODELS` entry as this function reads it: the scheduler's `{ modelName, maxAgeDays }`
 * plus optional `performance` floors (the scheduler ignores the extra key).
 */
export const ModelPolicy = RetrainingModelConfig.extend({
  performance: z.array(PerformanceFloor).default([]),
});
export type ModelPolicy = z.infer<typeof ModelPolicy>;

export const Env = z.object({
  /** MLflow REST base URL (Cloud Map name inside the VPC). */
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }),
  RETRAINING_MODELS: jsonString(z.array(ModelPolicy).min(1, "expected at least one model")),
  /** PSI above which the champion counts as drifted; the same variable drift-monitor flags with. */
  DRIFT_THRESHOLD: positiveNumber(),
  /** Only a `DriftScore` data point at most this old counts (drift-monitor runs on a schedule). */
  DRIFT_LOOKBACK_HOURS: positiveNumber().default(48),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);

/** The policy of `modelName`; models must be listed so that a typo cannot silently retrain nothing. */
export function policyFor(cfg: Config, modelName: z.infer<typeof ModelName>): ModelPolicy {
  const policy = cfg.RETRAINING_MODELS.find((m) => m.modelName === modelName);
  if (!policy) {
    const known = cfg.RETRAINING_MODELS.map((m) => m.modelName).join(", ");
    throw new InvalidEventError("retraining execution input", [
      {
        path: "modelName",
        message: `model ${modelName} is not configured in RETRAINING_MODELS (configured: ${known})`,
      },
    ]);
  }
  return policy;
}
