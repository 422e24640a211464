/** Environment of backtest-consumer (docs/runtime-contracts.md): @tradai/contracts' BacktestConsumerEnv. */
import { BacktestConsumerEnv } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export const Env = BacktestConsumerEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
