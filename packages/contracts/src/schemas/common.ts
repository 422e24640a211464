/**
 * Building blocks shared by the message and record schemas. Imported as `* as z` so that esbuild can
 * tree-shake zod (the named `z` export drags every locale into a bundle: 450 KB instead of 90 KB).
 */
import * as z from "zod";
import { JOB_ID_MAX_LENGTH, utf8Bytes } from "./limits";

/** An ISO-8601 timestamp with a time zone (`2026-01-31T12:00:00Z`, `...+02:00`). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** An ISO-8601 calendar date (`2026-01-31`) or timestamp; used for time ranges given by people. */
export const IsoDateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Candle timeframes the exchanges (ccxt) and the data layout understand. */
export const Timeframe = z.enum([
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "1w",
]);
export type Timeframe = z.infer<typeof Timeframe>;

/** A trading pair: `BASE/QUOTE` (exchange notation) or `BASE-QUOTE` (storage notation), upper case. */
export const TradingSymbol = z
  .string()
  .regex(/^[A-Z0-9]{2,15}[/-][A-Z0-9]{2,15}$/, "expected a pair like BTC/USDT or BTC-USDT");

/** An exchange id as ccxt names it (`binance`, `kraken`, `coinbase`). */
export const ExchangeId = z
  .string()
  .regex(/^[a-z0-9]{2,32}$/, "expected a lower-case exchange id like binance");

/** A lower-case identifier: letters, digits and dashes/underscores, starting with a letter. */
export const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "expected a lower-case id (a-z, 0-9, - or _)");

/**
 * A job id as the system creates them: a UUID (backtests), `retrain-<model>-<date>` (scheduled
 * retraining), `manual:<request id>`. It keys the jobs table, is ECS's `startedBy` and travels in Step
 * Functions input, so no path, space or control characters and at most {@link JOB_ID_MAX_LENGTH}.
 */
export const JobId = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${JOB_ID_MAX_LENGTH - 1}}$`),
    `expected a job id (A-Z, a-z, 0-9, . _ : -; at most ${JOB_ID_MAX_LENGTH} characters)`,
  );

/** An MLflow model version: MLflow numbers the versions of a registered model 1, 2, 3... */
export const ModelVersionNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "expected an MLflow model version (a positive integer like 3)");

/** Non-empty text of at most `maxBytes` UTF-8 bytes (what it is stored in or sent through allows). */
export const BoundedText = (maxBytes: number) =>
  z
    .string()
    .min(1)
    .refine((value) => utf8Bytes(value) <= maxBytes, `must be at most ${maxBytes} bytes`);

/**
 * Adds an issue at `to` when the `from`..`to` range is empty or reversed. Both values are already
 * validated ISO strings, so Date.parse cannot return NaN here.
 */
export function checkRange(value: { from: string; to: string }, ctx: z.core.$RefinementCtx): void {
  if (Date.parse(value.from) >= Date.parse(value.to)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must be later than from", input: value.to });
  }
}

/** One problem with an input: dotted path of the field (empty for the whole document) and what is wrong. */
export interface ValidationError {
  path: string;
  message: string;
}

/** Renders a zod issue path as `entry.0.left.indicator`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/** zod issues as `{ path, message }`, optionally under a prefix path. */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ValidationError[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}
