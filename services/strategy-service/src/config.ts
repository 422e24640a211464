/**
 * Environment of the strategy-service image: one schema per `MODE`, @tradai/contracts'
 * `STRATEGY_SERVICE_ENV` (the schemas compute's wiring of each service and task is typed against).
 */
import {
  StrategyApiEnv as ApiEnv,
  StrategyBacktestEnv as BacktestEnv,
  StrategyDryRunEnv as DryRunEnv,
  StrategyLiveEnv as LiveEnv,
  StrategyMode as Mode,
  parseEnv,
  StrategyTrainingEnv as TrainingEnv,
} from "@tradai/contracts";
import { z } from "zod";

export { ApiEnv, BacktestEnv, DryRunEnv, LiveEnv, Mode, TrainingEnv };

/** The lease duration in milliseconds: `LEASE_SECONDS`, or three heartbeat intervals. */
export function leaseDurationMs(
  config: Pick<TradingConfig, "LEASE_SECONDS" | "HEARTBEAT_INTERVAL_SECONDS">,
): number {
  return (config.LEASE_SECONDS ?? 3 * config.HEARTBEAT_INTERVAL_SECONDS) * 1000;
}

export type ApiConfig = z.output<typeof ApiEnv>;
export type BacktestConfig = z.output<typeof BacktestEnv>;
export type TrainingConfig = z.output<typeof TrainingEnv>;
export type DryRunConfig = z.output<typeof DryRunEnv>;
export type LiveConfig = z.output<typeof LiveEnv>;
export type TradingConfig = DryRunConfig | LiveConfig;

/** The `MODE` of this process; throws a ConfigError naming `MODE` when it is missing or unknown. */
export function modeOf(env: NodeJS.ProcessEnv = process.env): Mode {
  return parseEnv(z.object({ MODE: Mode }), env).MODE;
}

export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => parseEnv(ApiEnv, env);
export const loadBacktestConfig = (env: NodeJS.ProcessEnv = process.env): BacktestConfig =>
  parseEnv(BacktestEnv, env);
export const loadTrainingConfig = (env: NodeJS.ProcessEnv = process.env): TrainingConfig =>
  parseEnv(TrainingEnv, env);
export const loadTradingConfig = (env: NodeJS.ProcessEnv = process.env): TradingConfig =>
  modeOf(env) === "live" ? parseEnv(LiveEnv, env) : parseEnv(DryRunEnv, env);
