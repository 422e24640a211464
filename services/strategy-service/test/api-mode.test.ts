import { S3Client } from "@aws-sdk/client-s3";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { recordAs } from "@tradai/iam-recorder/testing";
import type { ServiceApp } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { loadApiConfig } from "../src/config";
import { runStrategy } from "../src/engine/run";
import { buildApiApp } from "../src/modes/api";
import { resolveStrategy } from "../src/strategies";
import { createBucket, writeDays } from "./market";

const MARKET = "tradai-test-market-data";

describe("strategy-service MODE=api", () => {
  const moto = useMoto();
  let app: ServiceApp;
  let url: string;
  let candles: Awaited<ReturnType<typeof writeDays>>;

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    const s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    await createBucket(s3, MARKET);
    candles = await writeDays(s3, MARKET, "2024-05-01", 5);
    const env = {
      MODE: "api",
      MARKET_DATA_BUCKET: MARKET,
      LOG_LEVEL: "silent",
      SYNC_BACKTEST_MAX_DAYS: "10",
    };
    recordAs("ecs:strategy-service", env);
    // The service's own client (as main.ts builds it), apart from the fixture client above.
    app = buildApiApp(loadApiConfig(env), {
      s3: s3Client({ region: TEST_REGION }),
    });
    url = await app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${url}/v1/backtests/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const request = {
    strategyId: "sma-crossover",
    exchange: "binance",
    symbol: "BTC-USDT",
    timeframe: "1h",
    from: "2024-05-01",
    to: "2024-05-04",
  };

  it("lists the built-in strategies with their parameter schemas", async () => {
    const response = await fetch(`${url}/v1/strategies`);
    const { items } = (await response.json()) as {
      items: Array<{ id: string; parameters: { properties: Record<string, unknown> } }>;
    };
    expect(items.map((s) => s.id).sort()).toEqual(["rsi-mean-reversion", "sma-crossover"]);
    expect(Object.keys(items.find((s) => s.id === "sma-crossover")?.parameters.properties ?? {})).toEqual([
      "fast",
      "slow",
    ]);
    expect((await fetch(`${url}/v1/strategies/nope`)).status).toBe(404);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it("runs a synchronous backtest over the stored candles", async () => {
    const response = await post({ ...request, parameters: { fast: 5, slow: 20 } });
    expect(response.status).toBe(200);
    const inRange = candles.filter((c) => c.time < Date.parse("2024-05-04T00:00:00Z"));
    const { strategy, params } = resolveStrategy("sma-crossover", { fast: 5, slow: 20 });
    expect(response.body).toMatchObject({
      strategyId: "sma-crossover",
      parameters: { fast: 5, slow: 20 },
      candles: 72,
      metrics: runStrategy(strategy, params, inRange, "1h").metrics,
    });
  });

  it("answers 400 with the failing fields", async () => {
    const invalid = await post({ ...request, symbol: "btc", timeframe: "9h" });
    expect(invalid.status).toBe(400);
    expect((invalid.body.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      "body.symbol",
      "body.timeframe",
    ]);
    const badParams = await post({ ...request, parameters: { fast: "ten" } });
    expect(badParams.status).toBe(400);
    expect((badParams.body.fields as { field: string }[])[0]?.field).toBe("body.parameters.fast");
    const tooLong = await post({ ...request, to: "2024-06-01" });
    expect(tooLong.body.fields).toEqual([
      { field: "body.to", message: "range longer than 10 days; submit a backtest job instead" },
    ]);
  });

  it("answers 422 when the range is not collected", async () => {
    const response = await post({ ...request, from: "2024-05-04", to: "2024-05-07" });
    expect(response.status).toBe(422);
    expect(response.body.error).toContain("2024-05-06");
  });
});
