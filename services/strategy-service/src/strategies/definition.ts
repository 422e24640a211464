/**
 * Runs a stored rule-based strategy (the `StrategyDefinition` the backend's `/v1/strategies` keeps): its
 * indicators are computed over the closes, a flat position enters when every entry rule holds at a close,
 * and a long position exits when every exit rule holds or the stop loss / take profit is reached.
 */
import type { RuleOperand, StrategyDefinition } from "@tradai/contracts";
import { type Candle, storageSymbol } from "@tradai/service-common";
import { ema, rsi, sma } from "../engine/indicators";

type Series = readonly (number | undefined)[];

/** Indicator types the engine computes, with the parameter each needs. */
const INDICATORS: Readonly<Record<string, (closes: number[], params: Record<string, number>) => Series>> = {
  sma: (closes, p) => sma(closes, p.period ?? 20),
  ema: (closes, p) => ema(closes, p.period ?? 20),
  rsi: (closes, p) => rsi(closes, p.period ?? 14),
};

/** The definition cannot run on this engine or this market; the message says why. */
export class DefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DefinitionError";
  }
}

export interface CompiledDefinition {
  positionSize: number;
  exposure(candles: readonly Candle[]): (0 | 1)[];
}

/** Checks the definition against the engine and the job's market, and prepares it to run. */
export function compileDefinition(
  definition: StrategyDefinition,
  market: { symbol: string; timeframe: string },
): CompiledDefinition {
  const problems: string[] = [];
  const unsupported = definition.indicators
    .filter((i) => !INDICATORS[i.type])
    .map((i) => `${i.id} (${i.type})`);
  if (unsupported.length > 0) {
    problems.push(
      `indicators ${unsupported.join(", ")} are not supported by the backtest engine (supported: ${Object.keys(INDICATORS).join(", ")})`,
    );
  }
  if (!definition.symbols.map(storageSymbol).includes(storageSymbol(market.symbol))) {
    problems.push(
      `strategy ${definition.id} does not trade ${market.symbol} (symbols: ${definition.symbols.join(", ")})`,
    );
  }
  if (definition.timeframe !== market.timeframe) {
    problems.push(
      `strategy ${definition.id} runs on ${definition.timeframe} candles, not ${market.timeframe}`,
    );
  }
  if (problems.length > 0) throw new DefinitionError(problems.join("; "));

  return {
    positionSize: definition.position.sizePct,
    exposure(candles) {
      const closes = candles.map((c) => c.close);
      const series = new Map<string, Series>();
      for (const indicator of definition.indicators) {
        const compute = INDICATORS[indicator.type];
        if (compute) series.set(indicator.id, compute(closes, indicator.params));
      }
      const value = (operand: RuleOperand, i: number): number | undefined => {
        if ("value" in operand) return operand.value;
        if ("price" in operand) return candles[i]?.[operand.price];
        return series.get(operand.indicator)?.[i];
      };
      const holds = (rule: StrategyDefinition["entry"][number], i: number): boolean => {
        const left = value(rule.left, i);
        const right = value(rule.right, i);
        if (left === undefined || right === undefined) return false;
        switch (rule.op) {
          case ">":
            return left > right;
          case ">=":
            return left >= right;
          case "<":
            return left < right;
          case "<=":
            return left <= right;
          case "crosses_above":
          case "crosses_below": {
            const prevLeft = value(rule.left, i - 1);
            const prevRight = value(rule.right, i - 1);
            if (prevLeft === undefined || prevRight === undefined) return false;
            return rule.op === "crosses_above"
              ? prevLeft <= prevRight && left > right
              : prevLeft >= prevRight && left < right;
          }
        }
      };
      const { stopLossPct, takeProfitPct } = definition.risk;
      let entryPrice: number | undefined;
      return candles.map((candle, i) => {
        if (entryPrice === undefined) {
          if (definition.entry.every((rule) => holds(rule, i))) entryPrice = candle.close;
        } else {
          const stopped =
            candle.close <= entryPrice * (1 - stopLossPct) ||
            candle.close >= entryPrice * (1 + takeProfitPct);
          const exit = definition.exit.length > 0 && definition.exit.every((rule) => holds(rule, i));
          if (stopped || exit) entryPrice = undefined;
        }
        return entryPrice === undefined ? 0 : 1;
      });
    },
  };
}
