/**
 * Strategy definitions and their validation: the shape (zod) plus the constraints between fields, all
 * reported at once so an author can fix every problem in one pass.
 */
import * as z from "zod";
import { issuesToErrors, Slug, Timeframe, TradingSymbol, type ValidationError } from "./common";
import {
  INDICATOR_PARAMS_MAX_COUNT,
  jsonBytes,
  STRATEGY_LIST_MAX_LENGTH,
  STRATEGY_MAX_BYTES,
} from "./limits";

export const IndicatorType = z.enum(["sma", "ema", "rsi", "macd", "bbands", "atr", "vwap", "stoch"]);

/** A technical indicator the rules can reference by `id`. */
export const IndicatorDefinition = z.object({
  id: Slug,
  type: IndicatorType,
  params: z
    .record(z.string().min(1).max(64), z.number().finite())
    .refine(
      (p) => Object.keys(p).length <= INDICATOR_PARAMS_MAX_COUNT,
      `at most ${INDICATOR_PARAMS_MAX_COUNT} params`,
    )
    .default({}),
});

/** One side of a rule comparison: an indicator output, a price field or a constant. */
export const RuleOperand = z.union([
  z.object({ indicator: Slug, output: z.string().min(1).max(64).optional() }).strict(),
  z.object({ price: z.enum(["open", "high", "low", "close", "volume"]) }).strict(),
  z.object({ value: z.number().finite() }).strict(),
]);
export type RuleOperand = z.infer<typeof RuleOperand>;

export const RuleOperator = z.enum([">", ">=", "<", "<=", "crosses_above", "crosses_below"]);

/** A condition `left <op> right`; the rules of a side are combined with AND. */
export const Rule = z.object({ left: RuleOperand, op: RuleOperator, right: RuleOperand });
export type Rule = z.infer<typeof Rule>;

/** Fractions of equity or price (0.02 = 2 %). */
export const RiskLimits = z.object({
  stopLossPct: z.number().gt(0).lt(1),
  takeProfitPct: z.number().gt(0),
  /** Largest position as a fraction of equity that the risk policy allows. */
  maxPositionPct: z.number().gt(0).max(1),
  maxOpenPositions: z.number().int().min(1),
  maxDrawdownPct: z.number().gt(0).max(1).optional(),
});

export const PositionSizing = z.object({
  /** Fraction of equity per position. */
  sizePct: z.number().gt(0).max(1),
});

export const StrategyDefinition = z.object({
  id: Slug,
  name: z.string().min(1).max(200),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "expected a semantic version like 1.2.0"),
  timeframe: Timeframe,
  symbols: z.array(TradingSymbol).min(1).max(STRATEGY_LIST_MAX_LENGTH),
  indicators: z.array(IndicatorDefinition).max(STRATEGY_LIST_MAX_LENGTH),
  entry: z.array(Rule).min(1).max(STRATEGY_LIST_MAX_LENGTH),
  exit: z.array(Rule).max(STRATEGY_LIST_MAX_LENGTH),
  position: PositionSizing,
  risk: RiskLimits,
});
export type StrategyDefinition = z.infer<typeof StrategyDefinition>;

/** The result of {@link validateStrategy}. */
export type StrategyValidation =
  | { valid: true; strategy: StrategyDefinition; errors: [] }
  | { valid: false; errors: ValidationError[] };

function field(input: unknown, key: string): unknown {
  return typeof input === "object" && input !== null ? (input as Record<string, unknown>)[key] : undefined;
}

/** Constraints between fields. Each check runs when the fields it needs are valid on their own. */
function constraintErrors(input: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  // The definition is stored as one strategies-table item.
  const bytes = jsonBytes(input);
  if (bytes > STRATEGY_MAX_BYTES) {
    errors.push({
      path: "",
      message: `definition is ${bytes} bytes as JSON; at most ${STRATEGY_MAX_BYTES} are stored`,
    });
  }
  const risk = RiskLimits.safeParse(field(input, "risk"));
  if (risk.success && risk.data.stopLossPct >= risk.data.takeProfitPct) {
    errors.push({ path: "risk.stopLossPct", message: "stop loss must be smaller than take profit" });
  }
  const position = PositionSizing.safeParse(field(input, "position"));
  if (risk.success && position.success && position.data.sizePct > risk.data.maxPositionPct) {
    errors.push({
      path: "position.sizePct",
      message: `position size ${position.data.sizePct} exceeds the risk limit maxPositionPct ${risk.data.maxPositionPct}`,
    });
  }
  const symbols = z.array(z.string()).safeParse(field(input, "symbols"));
  if (symbols.success) {
    const seen = new Set<string>();
    symbols.data.forEach((symbol, i) => {
      if (seen.has(symbol)) errors.push({ path: `symbols.${i}`, message: `duplicate symbol ${symbol}` });
      seen.add(symbol);
    });
  }
  const indicators = z.array(IndicatorDefinition).safeParse(field(input, "indicators"));
  if (!indicators.success) return errors;
  const ids = new Set<string>();
  indicators.data.forEach((indicator, i) => {
    if (ids.has(indicator.id))
      errors.push({ path: `indicators.${i}.id`, message: `duplicate indicator id ${indicator.id}` });
    ids.add(indicator.id);
  });
  for (const side of ["entry", "exit"] as const) {
    const rules = z.array(Rule).safeParse(field(input, side));
    if (!rules.success) continue;
    rules.data.forEach((rule, i) => {
      for (const operand of ["left", "right"] as const) {
        const ref = rule[operand];
        if ("indicator" in ref && !ids.has(ref.indicator)) {
          errors.push({
            path: `${side}.${i}.${operand}.indicator`,
            message: `references unknown indicator ${ref.indicator}`,
          });
        }
      }
    });
  }
  return errors;
}

/**
 * Validates a strategy definition against its schema and the constraints between fields (stop loss below
 * take profit, position size within the risk limit, indicator references defined, no duplicates) and
 * returns every error, not the first.
 */
export function validateStrategy(input: unknown): StrategyValidation {
  const parsed = StrategyDefinition.safeParse(input);
  const errors = [...(parsed.success ? [] : issuesToErrors(parsed.error.issues)), ...constraintErrors(input)];
  if (parsed.success && errors.length === 0) return { valid: true, strategy: parsed.data, errors: [] };
  return { valid: false, errors };
}
