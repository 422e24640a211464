import { GetObjectCommand, NoSuchKey, type S3Client } from "@aws-sdk/client-s3";
import { type Candle, CandlePartition, partitionKey, utcDates } from "@tradai/service-common";

export interface CandleRange {
  exchange: string;
  symbol: string;
  timeframe: string;
  fromMs: number;
  toMs: number;
}

/** The range cannot be served from the market-data bucket (partitions missing or unreadable). */
export class MarketDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MarketDataError";
  }
}

/**
 * Reads the day partitions data-collection wrote and returns the candles opening in `[fromMs, toMs)`,
 * ascending and de-duplicated. Every day of the range must be stored: a backtest over a gap would be
 * silently wrong, so missing days are an error that names them.
 */
export async function loadCandles(s3: S3Client, bucket: string, range: CandleRange): Promise<Candle[]> {
  const missing: string[] = [];
  const byTime = new Map<number, Candle>();
  for (const date of utcDates(range.fromMs, range.toMs)) {
    const key = partitionKey(range.exchange, range.symbol, range.timeframe, date);
    let text: string;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      text = (await object.Body?.transformToString()) ?? "";
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") {
        missing.push(date);
        continue;
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new MarketDataError(`s3://${bucket}/${key} is not JSON`);
    }
    const partition = CandlePartition.safeParse(json);
    if (!partition.success) throw new MarketDataError(`s3://${bucket}/${key} is not a candle partition`);
    for (const candle of partition.data.candles) {
      if (candle.time >= range.fromMs && candle.time < range.toMs) byTime.set(candle.time, candle);
    }
  }
  if (missing.length > 0) {
    const shown =
      missing.length > 5
        ? `${missing.slice(0, 5).join(", ")} and ${missing.length - 5} more`
        : missing.join(", ");
    throw new MarketDataError(
      `no market data for ${range.exchange} ${range.symbol} ${range.timeframe} on ${shown}; collect it first (data-collection POST /v1/collect)`,
    );
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}
