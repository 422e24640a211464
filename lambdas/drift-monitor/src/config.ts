/** drift-monitor configuration (docs/runtime-contracts.md). */
import { jsonString, loadEnv, positiveNumber, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

const ModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "expected a model name (letters, digits, . _ -)");

export const DriftMonitorEnv = z.object({
  ARTIFACTS_BUCKET: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  /** JSON array of model names that have reference distributions. */
  DRIFT_MODELS: jsonString(z.array(ModelName).min(1, "expected at least one model")),
  /** PSI above which a model is flagged. */
  DRIFT_THRESHOLD: positiveNumber(),
  ENVIRONMENT: z.string().optional(),
});
export type DriftMonitorEnv = z.infer<typeof DriftMonitorEnv>;

export const config = (): DriftMonitorEnv => loadEnv(DriftMonitorEnv);
