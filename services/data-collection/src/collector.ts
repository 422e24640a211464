import {
  type Candle,
  DAY_MS,
  dayStartMs,
  partitionKey,
  storageSymbol,
  utcDates,
} from "@tradai/service-common";
import type { PartitionStore } from "./partition-store";
import type { CandleSource } from "./sources";

export interface CollectionJob {
  exchange: string;
  symbol: string;
  timeframe: string;
  fromMs: number;
  toMs: number;
}

/** What happened to one day partition. */
export interface PartitionOutcome {
  date: string;
  key: string;
  /** `skipped`: a complete partition was already stored; `written`: fetched and stored now. */
  action: "skipped" | "written";
  candles?: number;
  complete?: boolean;
}

/** Margin after a day ends before its last candle counts as final on the exchange. */
const SETTLE_MS = 60_000;

/**
 * Collects every UTC day the range touches, one partition per day. Days are always fetched whole (not
 * clipped to `from`/`to`) so a stored partition is never a fragment of a day. A partition is complete when
 * it was fetched after its day had ended (plus a minute); complete partitions are skipped, so repeating a collection only
 * fetches the days that were still open (today) or missing.
 */
export class Collector {
  constructor(
    private readonly store: PartitionStore,
    private readonly now: () => number = Date.now,
  ) {}

  async collect(source: CandleSource, job: CollectionJob): Promise<PartitionOutcome[]> {
    const outcomes: PartitionOutcome[] = [];
    for (const date of utcDates(job.fromMs, job.toMs)) {
      const key = partitionKey(job.exchange, job.symbol, job.timeframe, date);
      if (await this.store.isComplete(key)) {
        outcomes.push({ date, key, action: "skipped" });
        continue;
      }
      const start = dayStartMs(date);
      const end = start + DAY_MS;
      const fetchedAt = this.now();
      const candles: Candle[] = await source.fetchCandles({
        symbol: job.symbol,
        timeframe: job.timeframe,
        fromMs: start,
        toMs: end,
      });
      const complete = fetchedAt >= end + SETTLE_MS;
      await this.store.write(key, {
        exchange: job.exchange,
        symbol: storageSymbol(job.symbol),
        timeframe: job.timeframe,
        date,
        complete,
        fetchedAt: new Date(fetchedAt).toISOString(),
        candles,
      });
      outcomes.push({ date, key, action: "written", candles: candles.length, complete });
    }
    return outcomes;
  }
}
