import * as path from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { recordAs } from "@tradai/iam-recorder/testing";
import { CandlePartition, type ServiceApp } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { defaultSources } from "../src/sources";
import { type ReplayServer, startReplayServer } from "./replay-server";

const FIXTURE = path.join(__dirname, "fixtures", "binance-klines-btcusdt-1h.json");
const BUCKET = "tradai-test-market-data";
/** The recordings of 2024-01-02 were made at 03:30 UTC. */
const NOW = Date.parse("2024-01-02T03:30:00Z");
const DAY1 = "ohlcv/exchange=binance/symbol=BTC-USDT/timeframe=1h/date=2024-01-01/candles.json";
const DAY2 = "ohlcv/exchange=binance/symbol=BTC-USDT/timeframe=1h/date=2024-01-02/candles.json";

describe("data-collection POST /v1/collect", () => {
  const moto = useMoto();
  let replay: ReplayServer;
  let s3: S3Client;
  /** The service's own client (as main.ts builds it); `s3` sets up and inspects fixtures. */
  let serviceS3: S3Client;
  let app: ServiceApp;
  let url: string;

  beforeAll(async () => {
    replay = await startReplayServer(FIXTURE);
    s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: TEST_REGION },
      }),
    );
    const env = {
      MARKET_DATA_BUCKET: BUCKET,
      BINANCE_BASE_URL: replay.url,
      EXCHANGE_PAGE_LIMIT: "10",
      LOG_LEVEL: "silent",
    };
    recordAs("ecs:data-collection", env);
    serviceS3 = s3Client({ region: TEST_REGION });
    const config = loadConfig(env);
    const sources = defaultSources({
      binanceBaseUrl: replay.url,
      pageLimit: config.EXCHANGE_PAGE_LIMIT,
      timeoutMs: 5000,
    });
    app = buildApp(config, { s3: serviceS3, sources, now: () => NOW });
    url = await app.listen({ port: 0, host: "127.0.0.1" });
    expect(moto().url).toBeTruthy();
  });

  afterAll(async () => {
    await app?.close();
    await replay?.close();
    s3?.destroy();
  });

  const collect = (body: unknown) =>
    fetch(`${url}/v1/collect`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  async function readPartition(key: string): Promise<CandlePartition> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return CandlePartition.parse(JSON.parse(await (object.Body?.transformToString() ?? "")));
  }

  it("answers 400 listing every failing field and fetches nothing", async () => {
    const response = await collect({
      exchange: "Binance",
      symbol: "btcusdt",
      timeframe: "7m",
      from: "2024-01-02",
      to: "2024-01-01",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: { field: string }[] };
    expect(body.fields.map((f) => f.field).sort()).toEqual([
      "body.exchange",
      "body.symbol",
      "body.timeframe",
    ]);
    const reversed = await collect({
      exchange: "binance",
      symbol: "BTC/USDT",
      timeframe: "1h",
      from: "2024-01-02",
      to: "2024-01-01",
    });
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { fields: { field: string }[] }).fields).toEqual([
      { field: "body.to", message: "must be later than from" },
    ]);
    const unsupported = await collect({
      exchange: "kraken",
      symbol: "BTC/USDT",
      timeframe: "1h",
      from: "2024-01-01",
      to: "2024-01-02",
    });
    expect(unsupported.status).toBe(400);
    expect(((await unsupported.json()) as { fields: { field: string }[] }).fields[0]?.field).toBe(
      "body.exchange",
    );
    expect(replay.requests).toEqual([]);
  });

  it("pages through the exchange and writes one partition per UTC day at the contract keys", async () => {
    const response = await collect({
      exchange: "binance",
      symbol: "BTC/USDT",
      timeframe: "1h",
      from: "2024-01-01T05:00:00Z",
      to: "2024-01-02T03:00:00Z",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      bucket: BUCKET,
      partitions: [
        { date: "2024-01-01", key: DAY1, action: "written", candles: 24, complete: true },
        { date: "2024-01-02", key: DAY2, action: "written", candles: 4, complete: false },
      ],
    });
    expect(replay.unmatched).toEqual([]);
    expect(replay.requests).toHaveLength(4);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([DAY1, DAY2]);

    const day1 = await readPartition(DAY1);
    expect(day1).toMatchObject({
      exchange: "binance",
      symbol: "BTC-USDT",
      timeframe: "1h",
      date: "2024-01-01",
      complete: true,
    });
    expect(day1.candles.map((c) => c.time)).toEqual(
      Array.from({ length: 24 }, (_, i) => Date.parse("2024-01-01T00:00:00Z") + i * 3_600_000),
    );
    expect(day1.candles[0]).toEqual({
      time: 1704067200000,
      open: 42283.58,
      high: expect.any(Number),
      low: expect.any(Number),
      close: expect.any(Number),
      volume: expect.any(Number),
    });
  });

  it("skips complete partitions and refetches open ones on a repeated collection", async () => {
    replay.requests.length = 0;
    const response = await collect({
      exchange: "binance",
      symbol: "BTC-USDT",
      timeframe: "1h",
      from: "2024-01-01",
      to: "2024-01-02T04:00:00Z",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partitions: { date: string; action: string }[] };
    expect(body.partitions.map((p) => [p.date, p.action])).toEqual([
      ["2024-01-01", "skipped"],
      ["2024-01-02", "written"],
    ]);
    // Only the open day was fetched again (one page).
    expect(replay.requests).toHaveLength(1);
    expect(replay.requests[0]).toContain("startTime=1704153600000");
  });

  it("refuses a range starting in the future and stops a range at the current day", async () => {
    const future = await collect({
      exchange: "binance",
      symbol: "BTC/USDT",
      timeframe: "1h",
      from: "2024-01-05",
      to: "2024-01-06",
    });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { fields: unknown[] }).fields).toEqual([
      { field: "body.from", message: "must not be in the future" },
    ]);
    replay.requests.length = 0;
    const open = await collect({
      exchange: "binance",
      symbol: "BTC/USDT",
      timeframe: "1h",
      from: "2024-01-02",
      to: "2030-01-01",
    });
    expect(open.status).toBe(200);
    const body = (await open.json()) as { partitions: { date: string }[] };
    expect(body.partitions.map((p) => p.date)).toEqual(["2024-01-02"]);
  });

  it("answers an exchange rejection of the symbol as a 400 on that field and writes nothing", async () => {
    const response = await collect({
      exchange: "binance",
      symbol: "NOPE/USDT",
      timeframe: "1h",
      from: "2024-01-01",
      to: "2024-01-01T12:00:00Z",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "request validation failed",
      fields: [{ field: "body.symbol", message: "binance: Invalid symbol. (code -1121)" }],
    });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "ohlcv/exchange=binance/symbol=NOPE-USDT/" }),
    );
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it("is ready only while the bucket exists", async () => {
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    recordAs("ecs:data-collection", { MARKET_DATA_BUCKET: "missing-bucket" });
    const other = buildApp(loadConfig({ MARKET_DATA_BUCKET: "missing-bucket", LOG_LEVEL: "silent" }), {
      s3: serviceS3,
      sources: new Map(),
    });
    const otherUrl = await other.listen({ port: 0, host: "127.0.0.1" });
    const response = await fetch(`${otherUrl}/ready`);
    expect(response.status).toBe(503);
    await other.close();
  });
});
