/** Environment of update-status (docs/runtime-contracts.md). */
import { loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const Env = z.object({
  JOBS_TABLE: requiredString(),
  /** The container whose exit code decides a backtest's outcome; without it every container must exit 0. */
  BACKTEST_CONTAINER_NAME: z.string().min(1).optional(),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
