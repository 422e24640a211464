import type { StrategyDefinition } from "@tradai/contracts";
import type { Candle } from "@tradai/service-common";
import { ema } from "../src/engine/indicators";
import { compileDefinition, DefinitionError } from "../src/strategies/definition";

const candles = (closes: number[]): Candle[] =>
  closes.map((close, i) => ({ time: i * 3_600_000, open: close, high: close, low: close, close, volume: 1 }));

function definition(overrides: Partial<StrategyDefinition> = {}): StrategyDefinition {
  return {
    id: "rules",
    name: "Rules",
    version: "1.0.0",
    timeframe: "1h",
    symbols: ["BTC/USDT"],
    indicators: [],
    entry: [{ left: { price: "close" }, op: ">", right: { value: 11 } }],
    exit: [{ left: { price: "close" }, op: "<", right: { value: 10 } }],
    position: { sizePct: 0.5 },
    risk: { stopLossPct: 0.5, takeProfitPct: 5, maxPositionPct: 1, maxOpenPositions: 1 },
    ...overrides,
  };
}
const market = { symbol: "BTC-USDT", timeframe: "1h" };

describe("stored strategy definitions", () => {
  it("enters when every entry rule holds and exits when every exit rule holds", () => {
    const compiled = compileDefinition(definition(), market);
    expect(compiled.positionSize).toBe(0.5);
    expect(compiled.exposure(candles([10, 12, 13, 9, 12]))).toEqual([0, 1, 1, 0, 1]);
  });

  it("exits on the stop loss and the take profit", () => {
    const always = [{ left: { value: 1 }, op: ">" as const, right: { value: 0 } }];
    const risk = { stopLossPct: 0.1, takeProfitPct: 0.5, maxPositionPct: 1, maxOpenPositions: 1 };
    const compiled = compileDefinition(definition({ entry: always, exit: [], risk }), market);
    expect(compiled.exposure(candles([100, 95, 89, 120]))).toEqual([1, 1, 0, 1]);
    expect(compiled.exposure(candles([100, 151, 151]))).toEqual([1, 0, 1]);
  });

  it("evaluates crossings of indicators on consecutive closes", () => {
    const compiled = compileDefinition(
      definition({
        indicators: [{ id: "s", type: "sma", params: { period: 2 } }],
        entry: [{ left: { indicator: "s" }, op: "crosses_above", right: { value: 11 } }],
        exit: [],
      }),
      market,
    );
    // SMA(2): -, 10, 11, 12. At index 2 it only touches 11; at index 3 it crosses above.
    expect(compiled.exposure(candles([10, 10, 12, 12]))).toEqual([0, 0, 0, 1]);
  });

  it("computes the EMA seeded with the SMA", () => {
    expect(ema([1, 2, 3, 4], 2)).toEqual([undefined, 1.5, 2.5, 3.5]);
  });

  it("refuses unsupported indicators and another market, naming every problem", () => {
    const run = () =>
      compileDefinition(
        definition({
          indicators: [{ id: "m", type: "macd", params: {} }],
          symbols: ["ETH/USDT"],
          timeframe: "4h",
        }),
        market,
      );
    expect(run).toThrow(DefinitionError);
    expect(run).toThrow(/m \(macd\) are not supported.*does not trade BTC-USDT.*runs on 4h candles, not 1h/);
  });
});
