/** Environment of retraining-scheduler (docs/runtime-contracts.md): @tradai/contracts' RetrainingSchedulerEnv. */
import { RetrainingSchedulerEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const Env = RetrainingSchedulerEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
