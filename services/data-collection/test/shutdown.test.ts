import { EventEmitter } from "node:events";
import * as path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { recordAs } from "@tradai/iam-recorder/testing";
import { runService } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { defaultSources } from "../src/sources";
import { startReplayServer } from "./replay-server";

const BUCKET = "tradai-test-drain";

describe("data-collection graceful shutdown", () => {
  const moto = useMoto();

  it("finishes a collection in flight when SIGTERM arrives, and refuses new connections", async () => {
    expect(moto().url).toBeTruthy();
    const replay = await startReplayServer(
      path.join(__dirname, "fixtures", "binance-klines-btcusdt-1h.json"),
    );
    const s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: TEST_REGION },
      }),
    );
    const env = { MARKET_DATA_BUCKET: BUCKET, EXCHANGE_PAGE_LIMIT: "10", LOG_LEVEL: "silent" };
    recordAs("ecs:data-collection", env);
    const config = loadConfig(env);
    const app = buildApp(config, {
      s3: s3Client({ region: TEST_REGION }),
      sources: defaultSources({ binanceBaseUrl: replay.url, pageLimit: 10, timeoutMs: 10_000 }),
      now: () => Date.parse("2024-01-02T03:30:00Z"),
    });
    const signals = new EventEmitter();
    const running = await runService(app, { port: 0, host: "127.0.0.1", signals });

    const exchange = replay.hold();
    const inFlight = fetch(`${running.url}/v1/collect`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({
        exchange: "binance",
        symbol: "BTC/USDT",
        timeframe: "1h",
        from: "2024-01-01",
        to: "2024-01-01T12:00:00Z",
      }),
    });
    await exchange.received;
    signals.emit("SIGTERM");

    await expect(fetch(`${running.url}/health`, { headers: { connection: "close" } })).rejects.toThrow();

    exchange.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await running.closed).toBe(true);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([
      "ohlcv/exchange=binance/symbol=BTC-USDT/timeframe=1h/date=2024-01-01/candles.json",
    ]);
    await replay.close();
    s3.destroy();
  });
});
