import { EventEmitter } from "node:events";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { recordAs } from "@tradai/iam-recorder/testing";
import { Heartbeat } from "@tradai/lambda-common/schemas";
import { awsClient, ConfigError, runService, s3ClientOptions } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { loadTradingConfig } from "../src/config";
import { CredentialsError, type ExchangeCredentials } from "../src/modes/credentials";
import type { Broker } from "../src/modes/paper-broker";
import { buildTradingService } from "../src/modes/trading";
import type { Sleep } from "../src/modes/trading-loop";
import { createBucket, writeDays } from "./market";

const MARKET = "tradai-test-market-data";
const TABLE = "tradai-test-heartbeats";
/** Ten minutes into 2024-04-08: the last closed hourly candle opened at 2024-04-07T23:00Z. */
const NOW = new Date("2024-04-08T00:10:00Z");

/** A sleep the test releases by hand, so the loop advances exactly one tick per release. */
function manualSleep() {
  const waiting: Array<() => void> = [];
  let onWait: () => void = () => {};
  const sleep: Sleep = (_ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      waiting.push(resolve);
      signal.addEventListener("abort", () => resolve(), { once: true });
      onWait();
    });
  return {
    sleep,
    /** Resolves once the loop is sleeping (its tick is done). */
    sleeping: () =>
      new Promise<void>((resolve) => {
        if (waiting.length > 0) resolve();
        else onWait = resolve;
      }),
    release: () => waiting.shift()?.(),
  };
}

describe("strategy-service MODE=dry-run and MODE=live", () => {
  const moto = useMoto();
  let s3: S3Client;
  let dynamodb: DynamoDBClient;
  let db: DynamoDBDocumentClient;
  let secrets: SecretsManagerClient;
  /** The service's own clients (as main.ts builds them); the ones above set up and inspect fixtures. */
  let service: { s3: S3Client; db: DynamoDBDocumentClient; secrets: SecretsManagerClient };

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    s3 = new S3Client({ region: TEST_REGION, ...s3ClientOptions() });
    dynamodb = new DynamoDBClient({ region: TEST_REGION });
    db = DynamoDBDocumentClient.from(dynamodb);
    secrets = new SecretsManagerClient({ region: TEST_REGION });
    service = {
      s3: awsClient(new S3Client({ region: TEST_REGION, ...s3ClientOptions() })),
      db: DynamoDBDocumentClient.from(awsClient(new DynamoDBClient({ region: TEST_REGION }))),
      secrets: awsClient(new SecretsManagerClient({ region: TEST_REGION })),
    };
    await createBucket(s3, MARKET);
    await writeDays(s3, MARKET, "2024-04-01", 7);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: "serviceId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "serviceId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  });

  const baseEnv = {
    HEARTBEATS_TABLE: TABLE,
    HEARTBEAT_INTERVAL_SECONDS: "30",
    MARKET_DATA_BUCKET: MARKET,
    TRADING_PARAMETERS: JSON.stringify({ fast: 5, slow: 20 }),
    LOG_LEVEL: "silent",
  };
  const heartbeat = async (serviceId: string) =>
    (await db.send(new GetCommand({ TableName: TABLE, Key: { serviceId }, ConsistentRead: true }))).Item;

  it("dry-run writes a heartbeat every tick and stops cleanly on SIGTERM", async () => {
    recordAs("ecs:dry-run-trading", { ...baseEnv, MODE: "dry-run" });
    const clock = manualSleep();
    let now = NOW;
    const { app, loop } = await buildTradingService(loadTradingConfig({ ...baseEnv, MODE: "dry-run" }), {
      ...service,
      sleep: clock.sleep,
      now: () => now,
    });
    const signals = new EventEmitter();
    const running = await runService(app, { port: 0, host: "127.0.0.1", signals });

    await clock.sleeping();
    const first = Heartbeat.parse(await heartbeat("dry-run-trading"));
    expect(first).toMatchObject({
      serviceId: "dry-run-trading",
      mode: "dry-run",
      lastBeatAt: NOW.toISOString(),
    });
    expect(first.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 86_400);
    // The paper position follows the strategy's last decision on the stored candles.
    expect([0, 1]).toContain(first.openPositions);
    expect((await fetch(`${running.url}/ready`)).status).toBe(200);

    now = new Date(NOW.getTime() + 30_000);
    clock.release();
    await clock.sleeping();
    expect(await heartbeat("dry-run-trading")).toMatchObject({ lastBeatAt: now.toISOString() });
    expect(loop.ticks).toBe(2);

    signals.emit("SIGTERM");
    await expect(running.closed).resolves.toBe(true);
    // The loop ended while sleeping: no tick ran after the signal.
    expect(loop.ticks).toBe(2);
    expect(await heartbeat("dry-run-trading")).toMatchObject({ lastBeatAt: now.toISOString() });
  });

  it("keeps beating (and logs) when no market data is stored for the symbol", async () => {
    recordAs("ecs:dry-run-trading", { ...baseEnv, MODE: "dry-run" });
    const clock = manualSleep();
    const { app, loop } = await buildTradingService(
      loadTradingConfig({
        ...baseEnv,
        MODE: "dry-run",
        SERVICE_ID: "dry-run-eth",
        TRADING_SYMBOL: "ETH-USDT",
      }),
      { ...service, sleep: clock.sleep, now: () => NOW },
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    await clock.sleeping();
    expect(await heartbeat("dry-run-eth")).toMatchObject({ serviceId: "dry-run-eth", openPositions: 0 });
    await app.close();
    expect(loop.ticks).toBe(1);
  });

  it("live refuses to start without the credentials secret variable", () => {
    expect(() => loadTradingConfig({ ...baseEnv, MODE: "live", TRADING_ORDER_QUOTE_AMOUNT: "50" })).toThrow(
      ConfigError,
    );
    expect(() => loadTradingConfig({ ...baseEnv, MODE: "live", TRADING_ORDER_QUOTE_AMOUNT: "50" })).toThrow(
      /EXCHANGE_CREDENTIALS_SECRET_ARN: is required/,
    );
  });

  it("live refuses to start when the secret is missing or malformed, and writes no heartbeat", async () => {
    const config = (arn: string) =>
      loadTradingConfig({
        ...baseEnv,
        MODE: "live",
        EXCHANGE_CREDENTIALS_SECRET_ARN: arn,
        TRADING_ORDER_QUOTE_AMOUNT: "50",
      });
    const liveBroker = jest.fn();
    recordAs("ecs:live-trading", {
      ...baseEnv,
      MODE: "live",
      EXCHANGE_CREDENTIALS_SECRET_ARN: "tradai/test/missing",
    });
    await expect(
      buildTradingService(config("tradai/test/missing"), { ...service, liveBroker }),
    ).rejects.toThrow(CredentialsError);

    const bad = await secrets.send(
      new CreateSecretCommand({ Name: "tradai/test/bad", SecretString: JSON.stringify({ apiKey: "k" }) }),
    );
    recordAs("ecs:live-trading", { ...baseEnv, MODE: "live", EXCHANGE_CREDENTIALS_SECRET_ARN: bad.ARN });
    await expect(buildTradingService(config(bad.ARN ?? ""), { ...service, liveBroker })).rejects.toThrow(
      /apiSecret/,
    );
    expect(liveBroker).not.toHaveBeenCalled();
    expect(await heartbeat("live-trading")).toBeUndefined();
  });

  it("live starts with valid credentials and trades through the live broker", async () => {
    const secret = await secrets.send(
      new CreateSecretCommand({
        Name: "tradai/test/good",
        SecretString: JSON.stringify({ apiKey: "key-1", apiSecret: "secret-1" }),
      }),
    );
    const seen: ExchangeCredentials[] = [];
    const orders: Array<0 | 1> = [];
    const broker: Broker = {
      apply: async (target) => {
        orders.push(target);
        return target;
      },
      openPositions: () => (orders.at(-1) === 1 ? 1 : 0),
    };
    const clock = manualSleep();
    recordAs("ecs:live-trading", { ...baseEnv, MODE: "live", EXCHANGE_CREDENTIALS_SECRET_ARN: secret.ARN });
    const { app } = await buildTradingService(
      loadTradingConfig({
        ...baseEnv,
        MODE: "live",
        EXCHANGE_CREDENTIALS_SECRET_ARN: secret.ARN ?? "",
        TRADING_ORDER_QUOTE_AMOUNT: "50",
      }),
      {
        ...service,
        sleep: clock.sleep,
        now: () => NOW,
        liveBroker: (credentials) => {
          seen.push(credentials);
          return broker;
        },
      },
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    await clock.sleeping();
    await app.close();
    expect(seen).toEqual([{ apiKey: "key-1", apiSecret: "secret-1" }]);
    expect(orders).toHaveLength(1);
    expect(await heartbeat("live-trading")).toMatchObject({ mode: "live", openPositions: orders[0] });
  });
});
