/**
 * Valid examples of the shared schemas for the tests of every package that sends or receives them:
 * defined once and typed by the schema, so a field the schema drops or renames breaks each of those
 * tests at compile time instead of leaving a stale copy that still passes.
 */
import type { BacktestJobMessage, BacktestRequest } from "./schemas/backtest";

/** A job id in the form the jobs table and the backtest task expect (a v4 UUID). */
export const SAMPLE_JOB_ID = "00000000-0000-4000-8000-000000000001";

/** The body of a valid `POST /v1/backtests` for a built-in strategy, with `overrides` applied. */
export function sampleBacktestRequest(overrides: Partial<BacktestRequest> = {}): BacktestRequest {
  return {
    strategyId: "sma-crossover",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    from: "2024-01-01",
    to: "2024-02-01",
    parameters: {},
    ...overrides,
  };
}

/** A valid backtest-jobs message (the backtest task's `JOB_REQUEST`) for `jobId`. */
export function sampleBacktestJob(
  jobId: string = SAMPLE_JOB_ID,
  overrides: Partial<BacktestRequest> = {},
): BacktestJobMessage {
  return { jobId, ...sampleBacktestRequest(overrides) };
}
