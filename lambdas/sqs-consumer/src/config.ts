/** Environment of sqs-consumer (docs/runtime-contracts.md). */
import { csvList, loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const Env = z.object({
  JOBS_TABLE: requiredString(),
  ECS_CLUSTER: requiredString(),
  BACKTEST_TASK_DEFINITION: requiredString(),
  BACKTEST_CONTAINER_NAME: requiredString(),
  TASK_SUBNETS: csvList(),
  TASK_SECURITY_GROUPS: csvList(),
});
export type Config = z.infer<typeof Env>;

/** The validated configuration; throws ConfigError naming every bad variable. */
export const config = (): Config => loadEnv(Env);
