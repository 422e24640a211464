/** cleanup-resources configuration (docs/runtime-contracts.md). */
import { loadEnv, positiveNumber, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const CleanupEnv = z.object({
  ECS_CLUSTER: requiredString(),
  JOBS_TABLE: requiredString(),
  ARTIFACTS_BUCKET: requiredString(),
  BACKTEST_MAX_RUNTIME_MINUTES: positiveNumber(),
  JOB_STUCK_MINUTES: positiveNumber(),
  ARTIFACT_RETENTION_DAYS: positiveNumber(),
});
export type CleanupEnv = z.infer<typeof CleanupEnv>;

export const config = (): CleanupEnv => loadEnv(CleanupEnv);
