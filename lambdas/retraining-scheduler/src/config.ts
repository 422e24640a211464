/** Environment of retraining-scheduler (docs/runtime-contracts.md). */

import { RetrainingModelConfig } from "@tradai/contracts";
import { jsonString, loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const Env = z.object({
  RETRAINING_STATE_MACHINE_ARN: requiredString(),
  RETRAINING_MODELS: jsonString(z.array(RetrainingModelConfig)),
  JOBS_TABLE: requiredString(),
  MODEL_DEPLOYMENTS_TABLE: requiredString(),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
