/** Test market data: deterministic candles written as data-collection's day partitions. */
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type Candle, type CandlePartition, DAY_MS, partitionKey } from "@tradai/service-common";
import { TEST_REGION } from "@tradai/testing";

const HOUR = 3_600_000;

/** Hourly candles from `fromMs`: a slow sine wave on a gentle trend, so moving averages cross regularly. */
export function syntheticCandles(fromMs: number, count: number): Candle[] {
  return Array.from({ length: count }, (_, i) => {
    const close = 100 + i * 0.01 + 8 * Math.sin(i / 15);
    const open = 100 + (i - 1) * 0.01 + 8 * Math.sin((i - 1) / 15);
    return {
      time: fromMs + i * HOUR,
      open,
      high: Math.max(open, close) + 0.2,
      low: Math.min(open, close) - 0.2,
      close,
      volume: 10 + (i % 7),
    };
  });
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: TEST_REGION },
    }),
  );
}

/** Writes hourly candles for every day in `[fromDate, fromDate + days)` as complete partitions. */
export async function writeDays(
  s3: S3Client,
  bucket: string,
  fromDate: string,
  days: number,
  symbol = "BTC-USDT",
): Promise<Candle[]> {
  const start = Date.parse(`${fromDate}T00:00:00Z`);
  const candles = syntheticCandles(start, days * 24);
  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY_MS;
    const date = new Date(dayStart).toISOString().slice(0, 10);
    const partition: CandlePartition = {
      exchange: "binance",
      symbol,
      timeframe: "1h",
      date,
      complete: true,
      fetchedAt: new Date(dayStart + 2 * DAY_MS).toISOString(),
      candles: candles.filter((c) => c.time >= dayStart && c.time < dayStart + DAY_MS),
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: partitionKey("binance", symbol, "1h", date),
        Body: JSON.stringify(partition),
      }),
    );
  }
  return candles;
}
