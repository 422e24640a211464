import type { Candle } from "@tradai/service-common";
import { timeframeMs } from "@tradai/service-common";
import type { BuiltInStrategy } from "../strategies";
import { type BacktestResult, runBacktest } from "./backtest";

/** Fee per side used unless a job says otherwise: 10 bps, a typical spot taker fee. */
export const DEFAULT_FEE_RATE = 0.001;

/** Candles per year for a timeframe (crypto trades around the clock). */
export function periodsPerYear(timeframe: string): number {
  return (365 * 86_400_000) / timeframeMs(timeframe);
}

/** Runs a built-in strategy with validated parameters over candles. */
export function runStrategy(
  strategy: BuiltInStrategy,
  params: Record<string, number>,
  candles: readonly Candle[],
  timeframe: string,
  feeRate = DEFAULT_FEE_RATE,
): BacktestResult {
  return runExposure(candles, strategy.exposure(candles, params), timeframe, 1, feeRate);
}

/** Backtests a precomputed exposure series (built-in or stored strategy). */
export function runExposure(
  candles: readonly Candle[],
  exposure: readonly (0 | 1)[],
  timeframe: string,
  positionSize: number,
  feeRate = DEFAULT_FEE_RATE,
): BacktestResult {
  if (candles.length === 0) throw new Error("no candles in the requested range");
  return runBacktest(candles, exposure, { feeRate, positionSize, periodsPerYear: periodsPerYear(timeframe) });
}
