/** Environment of promote-model (docs/runtime-contracts.md). */
import { loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const Env = z.object({
  /** MLflow REST base URL (Cloud Map name inside the VPC). */
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }),
  MODEL_DEPLOYMENTS_TABLE: requiredString(),
  /** Powertools idempotency records: a retried invocation returns the first result. */
  IDEMPOTENCY_TABLE: requiredString(),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
