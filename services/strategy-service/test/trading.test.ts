import { EventEmitter } from "node:events";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { ConfigError, Heartbeat } from "@tradai/contracts";
import { recordAs } from "@tradai/iam-recorder/testing";
import { awsClient, runService } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { loadTradingConfig } from "../src/config";
import { CredentialsError, type ExchangeCredentials } from "../src/modes/credentials";
import type { Broker } from "../src/modes/paper-broker";
import { buildTradingService } from "../src/modes/trading";
import type { Sleep } from "../src/modes/trading-loop";
import { createBucket, writeDays } from "./market";

const MARKET = "tradai-test-market-data";
const TABLE = "tradai-test-heartbeats";
const LEASES = "tradai-test-trading-leases";
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
    s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    dynamodb = new DynamoDBClient({ region: TEST_REGION });
    db = DynamoDBDocumentClient.from(dynamodb);
    secrets = new SecretsManagerClient({ region: TEST_REGION });
    service = {
      s3: s3Client({ region: TEST_REGION }),
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
    await dynamodb.send(
      new CreateTableCommand({
        TableName: LEASES,
        KeySchema: [{ AttributeName: "leaseId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "leaseId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  });

  const baseEnv = {
    HEARTBEATS_TABLE: TABLE,
    HEARTBEAT_INTERVAL_SECONDS: "30",
    LEASES_TABLE: LEASES,
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

  describe("the trading lease: one live trader per service", () => {
    const SERVICE_ID = "live-lease";
    let secretArn: string;
    beforeAll(async () => {
      const secret = await secrets.send(
        new CreateSecretCommand({
          Name: "tradai/test/lease",
          SecretString: JSON.stringify({ apiKey: "key-2", apiSecret: "secret-2" }),
        }),
      );
      secretArn = secret.ARN ?? "";
    });
    const lease = async () =>
      (
        await db.send(
          new GetCommand({ TableName: LEASES, Key: { leaseId: SERVICE_ID }, ConsistentRead: true }),
        )
      ).Item;

    /** A live trading instance with its own clock and a broker that records the orders it receives. */
    async function instance(id: string, start: Date, env: Record<string, string | undefined> = {}) {
      const clock = manualSleep();
      let now = start;
      const orders: Array<0 | 1> = [];
      const broker: Broker = {
        apply: async (target) => {
          orders.push(target);
          return target;
        },
        openPositions: () => (orders.at(-1) === 1 ? 1 : 0),
      };
      const { app, loop } = await buildTradingService(
        loadTradingConfig({
          ...baseEnv,
          MODE: "live",
          SERVICE_ID,
          EXCHANGE_CREDENTIALS_SECRET_ARN: secretArn,
          TRADING_ORDER_QUOTE_AMOUNT: "50",
          ...env,
        }),
        { s3, db, secrets, sleep: clock.sleep, now: () => now, liveBroker: () => broker, instanceId: id },
      );
      await app.listen({ port: 0, host: "127.0.0.1" });
      await clock.sleeping();
      return {
        loop,
        orders,
        close: () => app.close(),
        /** Moves this instance's clock to `at` and runs exactly one more tick. */
        async tickAt(at: Date) {
          now = at;
          clock.release();
          await clock.sleeping();
        },
      };
    }
    const after = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

    it("one instance trades, the other waits, and the lease passes over when the holder stops", async () => {
      const a = await instance("task-a", NOW);
      expect(a.orders).toHaveLength(1);
      expect(a.loop.status().leaseHeld).toBe(true);
      // Lease: three heartbeat intervals (90 s) from the last renewal.
      expect(await lease()).toMatchObject({ holder: "task-a", leaseUntil: after(90).getTime() });

      const b = await instance("task-b", after(5));
      expect(b.orders).toEqual([]);
      expect(b.loop.status().leaseHeld).toBe(false);
      // B is alive (its heartbeat is written) but places nothing.
      expect(await heartbeat(SERVICE_ID)).toMatchObject({ lastBeatAt: after(5).toISOString() });

      // Both keep ticking: A renews with every tick, B keeps waiting.
      await a.tickAt(after(30));
      await b.tickAt(after(35));
      await a.tickAt(after(60));
      await b.tickAt(after(65));
      expect(a.orders).toHaveLength(3);
      expect(b.orders).toEqual([]);
      expect(await lease()).toMatchObject({ holder: "task-a", leaseUntil: after(150).getTime() });

      // A stops gracefully (SIGTERM of a deployment): it releases the lease at once.
      await a.close();
      expect(await lease()).toBeUndefined();
      await b.tickAt(after(95));
      expect(b.loop.status().leaseHeld).toBe(true);
      expect(b.orders).toHaveLength(1);
      expect(await lease()).toMatchObject({ holder: "task-b", leaseUntil: after(185).getTime() });
      await b.close();
      expect(await lease()).toBeUndefined();
    });

    it("takes over when the holder stops renewing, only after its lease expired; the old holder stays out", async () => {
      const hung = await instance("task-hung", NOW);
      expect(hung.orders).toHaveLength(1);

      // The holder hangs (no more ticks). Before its lease expires the new instance waits...
      const next = await instance("task-next", after(60));
      await next.tickAt(after(89));
      expect(next.orders).toEqual([]);
      expect(await lease()).toMatchObject({ holder: "task-hung" });

      // ...and takes it once expired.
      await next.tickAt(after(91));
      expect(next.loop.status().leaseHeld).toBe(true);
      expect(next.orders).toHaveLength(1);
      expect(await lease()).toMatchObject({ holder: "task-next", leaseUntil: after(181).getTime() });

      // The old holder wakes up: it cannot renew a lease someone else holds, and places nothing.
      await hung.tickAt(after(100));
      expect(hung.loop.status().leaseHeld).toBe(false);
      expect(hung.orders).toHaveLength(1);
      expect(await lease()).toMatchObject({ holder: "task-next" });

      // Its graceful stop does not release the lease it lost.
      await hung.close();
      expect(await lease()).toMatchObject({ holder: "task-next" });
      await next.close();
      expect(await lease()).toBeUndefined();
    });

    it("places no order when the lease cannot be read or written, and still reports alive", async () => {
      const blind = await instance("task-blind", NOW, { LEASES_TABLE: "tradai-test-no-such-table" });
      expect(blind.orders).toEqual([]);
      expect(blind.loop.status()).toMatchObject({ leaseHeld: false, healthy: true });
      await blind.close();
    });

    it("refuses a lease that would lapse between two renewals, and a missing leases table", () => {
      const live = {
        ...baseEnv,
        MODE: "live",
        EXCHANGE_CREDENTIALS_SECRET_ARN: "x",
        TRADING_ORDER_QUOTE_AMOUNT: "1",
      };
      expect(() => loadTradingConfig({ ...live, LEASE_SECONDS: "30" })).toThrow(
        /LEASE_SECONDS: must exceed HEARTBEAT_INTERVAL_SECONDS/,
      );
      expect(() => loadTradingConfig({ ...live, LEASES_TABLE: undefined })).toThrow(
        /LEASES_TABLE: is required/,
      );
      expect(loadTradingConfig({ ...live, LEASE_SECONDS: "31" })).toMatchObject({ LEASE_SECONDS: 31 });
    });
  });
});
