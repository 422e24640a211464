/** Candle timeframes as durations. Weekly candles open on Mondays 00:00 UTC (Binance, ccxt). */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Duration in milliseconds of each supported timeframe. */
export const TIMEFRAME_MS: Readonly<Record<string, number>> = {
  "1m": MINUTE,
  "3m": 3 * MINUTE,
  "5m": 5 * MINUTE,
  "15m": 15 * MINUTE,
  "30m": 30 * MINUTE,
  "1h": HOUR,
  "2h": 2 * HOUR,
  "4h": 4 * HOUR,
  "6h": 6 * HOUR,
  "8h": 8 * HOUR,
  "12h": 12 * HOUR,
  "1d": DAY,
  "1w": 7 * DAY,
};

/** 1970-01-05 was the first Monday after the epoch: weekly candles are aligned to it. */
const WEEK_ALIGNMENT_MS = 4 * DAY;

/** Milliseconds of a timeframe; throws for an unknown one. */
export function timeframeMs(timeframe: string): number {
  const ms = TIMEFRAME_MS[timeframe];
  if (ms === undefined) throw new Error(`unknown timeframe ${timeframe}`);
  return ms;
}

/** The candle open time at or before `timeMs` on the timeframe's grid. */
export function alignDown(timeMs: number, timeframe: string): number {
  const step = timeframeMs(timeframe);
  const offset = timeframe === "1w" ? WEEK_ALIGNMENT_MS : 0;
  return Math.floor((timeMs - offset) / step) * step + offset;
}
