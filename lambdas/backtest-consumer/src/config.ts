/** Environment of backtest-consumer (docs/runtime-contracts.md). */
import { loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const Env = z.object({
  JOBS_TABLE: requiredString(),
  NOTIFICATIONS_TOPIC_ARN: requiredString(),
  ENVIRONMENT: z.string().min(1).optional(),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
