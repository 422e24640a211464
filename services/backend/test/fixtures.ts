import { sampleBacktestRequest } from "@tradai/contracts/fixtures";
/** A valid strategy definition (SMA crossover) used across the backend tests. */
export function smaStrategy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "sma-crossover",
    name: "SMA crossover",
    version: "1.0.0",
    timeframe: "1h",
    symbols: ["BTC/USDT"],
    indicators: [
      { id: "fast", type: "sma", params: { period: 10 } },
      { id: "slow", type: "sma", params: { period: 30 } },
    ],
    entry: [{ left: { indicator: "fast" }, op: "crosses_above", right: { indicator: "slow" } }],
    exit: [{ left: { indicator: "fast" }, op: "crosses_below", right: { indicator: "slow" } }],
    position: { sizePct: 0.1 },
    risk: { stopLossPct: 0.02, takeProfitPct: 0.05, maxPositionPct: 0.2, maxOpenPositions: 1 },
    ...overrides,
  };
}

/** The body of a valid `POST /v1/backtests` (a built-in strategy). */
export const backtestRequest = sampleBacktestRequest({ parameters: { fast: 10, slow: 30 } });
