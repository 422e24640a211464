import type { Candle } from "@tradai/service-common";
import { metricsOf, runBacktest } from "../src/engine/backtest";
import { rsi, sma } from "../src/engine/indicators";
import { runStrategy } from "../src/engine/run";
import { resolveStrategy, STRATEGIES } from "../src/strategies";
import { syntheticCandles } from "./market";

const candles = (closes: number[]): Candle[] =>
  closes.map((close, i) => ({ time: i * 3_600_000, open: close, high: close, low: close, close, volume: 1 }));

describe("indicators", () => {
  it("computes a simple moving average once enough values exist", () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([undefined, undefined, 2, 3, 4]);
    expect(() => sma([1], 0)).toThrow(/positive integer/);
  });

  it("computes Wilder's RSI: 100 on only gains, 0 on only losses", () => {
    expect(rsi([1, 2, 3, 4, 5], 2).slice(2)).toEqual([100, 100, 100]);
    expect(rsi([5, 4, 3, 2, 1], 2).slice(2)).toEqual([0, 0, 0]);
    const mixed = rsi([10, 11, 10, 11, 10], 2);
    expect(mixed[2]).toBeCloseTo(50, 10);
  });
});

describe("backtest engine", () => {
  it("trades at the closes the exposure changes on and reports return, drawdown and trades", () => {
    const series = candles([10, 11, 12, 11, 10, 12, 14]);
    const result = runBacktest(series, [0, 1, 1, 0, 0, 1, 1], {
      feeRate: 0,
      positionSize: 1,
      periodsPerYear: 8760,
    });
    expect(result.trades.map((t) => [t.entryPrice, t.exitPrice, t.closedAtEnd])).toEqual([
      [11, 11, false],
      [12, 14, true],
    ]);
    expect(result.trades[1]?.return).toBeCloseTo(14 / 12 - 1, 12);
    expect(result.metrics.totalReturn).toBeCloseTo(14 / 12 - 1, 12);
    // Peak 12/11 after the first entry, back to 1 at the exit: drawdown 1 - 11/12.
    expect(result.metrics.maxDrawdown).toBeCloseTo(1 - 11 / 12, 12);
    expect(result.metrics.trades).toBe(2);
  });

  it("charges fees on both sides", () => {
    const result = runBacktest(candles([10, 10, 10]), [1, 0, 0], {
      feeRate: 0.01,
      positionSize: 1,
      periodsPerYear: 1,
    });
    expect(result.metrics.totalReturn).toBeCloseTo(0.99 * 0.99 - 1, 12);
  });

  it("gives a zero Sharpe for a flat equity curve", () => {
    expect(metricsOf([1, 1, 1], 0, 8760)).toEqual({ totalReturn: 0, sharpe: 0, maxDrawdown: 0, trades: 0 });
  });
});

describe("built-in strategies", () => {
  const series = syntheticCandles(0, 500);

  it("sma-crossover is long exactly while the fast SMA is above the slow one", () => {
    const { strategy, params } = resolveStrategy("sma-crossover", { fast: 5, slow: 20 });
    const exposure = strategy.exposure(series, params);
    const fast = sma(
      series.map((c) => c.close),
      5,
    );
    const slow = sma(
      series.map((c) => c.close),
      20,
    );
    exposure.forEach((e, i) => {
      const f = fast[i];
      const s = slow[i];
      expect(e).toBe(f !== undefined && s !== undefined && f > s ? 1 : 0);
    });
    expect(exposure.filter((e) => e === 1).length).toBeGreaterThan(50);
  });

  it("is deterministic: the same input gives the same metrics", () => {
    for (const strategy of STRATEGIES.values()) {
      const { params } = resolveStrategy(strategy.id, {});
      const a = runStrategy(strategy, params, series, "1h");
      const b = runStrategy(strategy, params, series, "1h");
      expect(a).toEqual(b);
      expect(a.metrics.trades).toBeGreaterThan(0);
    }
  });

  it("rejects unknown strategies and bad parameters naming the fields", () => {
    expect(() => resolveStrategy("nope", {})).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: "body.strategyId" })] }),
    );
    expect(() => resolveStrategy("sma-crossover", { fast: 50, slow: 20, extra: 1 })).toThrow(
      expect.objectContaining({
        fields: expect.arrayContaining([expect.objectContaining({ field: "body.parameters" })]),
      }),
    );
  });
});
