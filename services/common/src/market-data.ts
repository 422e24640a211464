/**
 * The market-data bucket layout shared by data-collection (writer) and strategy-service (reader):
 * `ohlcv/exchange=<exchange>/symbol=<BASE-QUOTE>/timeframe=<tf>/date=<YYYY-MM-DD>/candles.json`
 * (docs/runtime-contracts.md), one document per UTC day.
 */
import { z } from "zod";

/** One OHLCV candle; `time` is the open time in epoch milliseconds (UTC). */
export const Candle = z.object({
  time: z.number().int().nonnegative(),
  open: z.number().finite(),
  high: z.number().finite(),
  low: z.number().finite(),
  close: z.number().finite(),
  volume: z.number().finite().nonnegative(),
});
export type Candle = z.infer<typeof Candle>;

/** The `candles.json` document of one partition. */
export const CandlePartition = z.object({
  exchange: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  date: z.iso.date(),
  /**
   * True when the document was fetched after the UTC day had ended: the exchange's candles for a closed
   * day no longer change, so the partition is final and later collections skip it.
   */
  complete: z.boolean(),
  fetchedAt: z.iso.datetime({ offset: true }),
  candles: z.array(Candle),
});
export type CandlePartition = z.infer<typeof CandlePartition>;

/** `BTC/USDT` or `BTC-USDT` to the storage notation `BTC-USDT`. */
export function storageSymbol(symbol: string): string {
  return symbol.toUpperCase().replace("/", "-");
}

/** The object key of one partition. */
export function partitionKey(exchange: string, symbol: string, timeframe: string, date: string): string {
  return `ohlcv/exchange=${exchange}/symbol=${storageSymbol(symbol)}/timeframe=${timeframe}/date=${date}/candles.json`;
}

const DAY_MS = 86_400_000;

/** The UTC dates (`YYYY-MM-DD`) of every day that intersects `[fromMs, toMs)`. */
export function utcDates(fromMs: number, toMs: number): string[] {
  const dates: string[] = [];
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

/** Epoch milliseconds of 00:00 UTC of a `YYYY-MM-DD` date. */
export function dayStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export { DAY_MS };
