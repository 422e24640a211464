import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { BacktestResultMessage, ConfigError } from "@tradai/contracts";
import { recordAs } from "@tradai/iam-recorder/testing";
import { awsClient, createLogger } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { loadBacktestConfig } from "../src/config";
import { reportInvalidJob, runBacktestJob } from "../src/modes/backtest";
import { StoredStrategies } from "../src/strategies/stored";
import { createBucket, writeDays } from "./market";

const MARKET = "tradai-test-market-data";
const ARTIFACTS = "tradai-test-artifacts";
const log = createLogger("strategy-service-test", "silent");

describe("strategy-service MODE=backtest", () => {
  const moto = useMoto();
  let s3: S3Client;
  let sqs: SQSClient;
  let dynamodb: DynamoDBClient;
  let queueUrl: string;
  /** The task's own clients (as main.ts builds them); the ones above set up and inspect fixtures. */
  let task: { s3: S3Client; sqs: SQSClient; db: DynamoDBDocumentClient };

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    sqs = new SQSClient({ region: TEST_REGION });
    dynamodb = new DynamoDBClient({ region: TEST_REGION });
    await createBucket(s3, MARKET);
    await createBucket(s3, ARTIFACTS);
    await writeDays(s3, MARKET, "2024-03-01", 10);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "backtest-results" }))).QueueUrl ?? "";
    task = {
      s3: s3Client({ region: TEST_REGION }),
      sqs: awsClient(new SQSClient({ region: TEST_REGION })),
      db: DynamoDBDocumentClient.from(awsClient(new DynamoDBClient({ region: TEST_REGION }))),
    };
    recordAs("ecs:backtest", { ...env(job()), STRATEGIES_TABLE: "strategies" });
  });

  const job = (overrides: Record<string, unknown> = {}) => ({
    jobId: "6f1c2a4e-8a53-4c61-9d3a-2b7f0e5d9c11",
    strategyId: "sma-crossover",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    from: "2024-03-01",
    to: "2024-03-08",
    parameters: { fast: 5, slow: 20 },
    ...overrides,
  });
  const env = (request: Record<string, unknown>) => ({
    MODE: "backtest",
    MARKET_DATA_BUCKET: MARKET,
    ARTIFACTS_BUCKET: ARTIFACTS,
    BACKTEST_RESULTS_QUEUE_URL: queueUrl,
    JOB_ID: String(request.jobId),
    JOB_REQUEST: JSON.stringify(request),
  });
  async function results(): Promise<BacktestResultMessage[]> {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    return (received.Messages ?? []).map((m) => BacktestResultMessage.parse(JSON.parse(m.Body ?? "")));
  }

  it("runs the strategy over the stored candles, writes result.json and sends a COMPLETED result", async () => {
    const request = job();
    const code = await runBacktestJob(loadBacktestConfig(env(request)), { s3: task.s3, sqs: task.sqs, log });
    expect(code).toBe(0);

    const [message, ...rest] = await results();
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      jobId: request.jobId,
      status: "COMPLETED",
      resultKey: `backtests/${request.jobId}/result.json`,
    });

    const object = await s3.send(
      new GetObjectCommand({ Bucket: ARTIFACTS, Key: `backtests/${request.jobId}/result.json` }),
    );
    const document = JSON.parse((await object.Body?.transformToString()) ?? "") as Record<string, unknown>;
    expect(document).toMatchObject({
      jobId: request.jobId,
      strategy: { id: "sma-crossover", parameters: { fast: 5, slow: 20 } },
      candles: {
        count: 7 * 24,
        first: Date.parse("2024-03-01T00:00:00Z"),
        last: Date.parse("2024-03-07T23:00:00Z"),
      },
      metrics: message?.metrics,
    });
    expect(message?.metrics?.trades).toBeGreaterThan(0);
    expect((document.trades as unknown[]).length).toBe(message?.metrics?.trades);
  });

  it("runs a rule-based strategy stored by the backend when the id is not built in", async () => {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: "strategies",
        KeySchema: [{ AttributeName: "strategyId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "strategyId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const definition = {
      id: "my-cross",
      name: "My cross",
      version: "2.1.0",
      timeframe: "1h",
      symbols: ["BTC/USDT"],
      indicators: [
        { id: "fast", type: "ema", params: { period: 5 } },
        { id: "slow", type: "sma", params: { period: 20 } },
      ],
      entry: [{ left: { indicator: "fast" }, op: "crosses_above", right: { indicator: "slow" } }],
      exit: [{ left: { indicator: "fast" }, op: "crosses_below", right: { indicator: "slow" } }],
      position: { sizePct: 0.25 },
      risk: { stopLossPct: 0.05, takeProfitPct: 0.1, maxPositionPct: 0.5, maxOpenPositions: 1 },
    };
    await DynamoDBDocumentClient.from(dynamodb).send(
      new PutCommand({ TableName: "strategies", Item: { strategyId: "my-cross", definition, version: 3 } }),
    );
    const stored = new StoredStrategies(task.db, "strategies");
    const request = job({
      jobId: "5b2e9f3c-7d1a-4c8e-9f60-1a2b3c4d5e6f",
      strategyId: "my-cross",
      parameters: {},
    });
    const config = loadBacktestConfig({ ...env(request), STRATEGIES_TABLE: "strategies" });
    expect(await runBacktestJob(config, { s3: task.s3, sqs: task.sqs, log, stored })).toBe(0);
    const [message] = await results();
    expect(message).toMatchObject({ jobId: request.jobId, status: "COMPLETED" });
    expect(message?.metrics?.trades).toBeGreaterThan(0);
    const object = await s3.send(
      new GetObjectCommand({ Bucket: ARTIFACTS, Key: `backtests/${request.jobId}/result.json` }),
    );
    expect(JSON.parse((await object.Body?.transformToString()) ?? "")).toMatchObject({
      strategy: { id: "my-cross", kind: "stored", definitionVersion: "2.1.0", itemVersion: 3 },
    });

    const withParams = job({
      jobId: "6c3f0a4d-8e2b-4d9f-a071-2b3c4d5e6f70",
      strategyId: "my-cross",
      parameters: { fast: 3 },
    });
    expect(
      await runBacktestJob(loadBacktestConfig(env(withParams)), { s3: task.s3, sqs: task.sqs, log, stored }),
    ).toBe(1);
    expect((await results())[0]?.error).toMatch(/^parameters: apply to built-in strategies only/);

    const unknown = job({ jobId: "7d4a1b5e-9f3c-4e0a-b182-3c4d5e6f7081", strategyId: "nobody" });
    expect(
      await runBacktestJob(loadBacktestConfig(env(unknown)), { s3: task.s3, sqs: task.sqs, log, stored }),
    ).toBe(1);
    expect((await results())[0]?.error).toMatch(/^strategyId: unknown strategy nobody/);
  });

  it("reports FAILED (exit 1) naming the missing days when the market data is not collected", async () => {
    const request = job({
      jobId: "0b9d7a36-1f0e-4b3c-9a55-7d2a3c9e8f01",
      from: "2024-03-09",
      to: "2024-03-13",
    });
    const code = await runBacktestJob(loadBacktestConfig(env(request)), { s3: task.s3, sqs: task.sqs, log });
    expect(code).toBe(1);
    const [message] = await results();
    expect(message).toMatchObject({ jobId: request.jobId, status: "FAILED" });
    expect(message?.error).toContain("2024-03-11, 2024-03-12");
  });

  it("reports FAILED for an unknown strategy or bad parameters", async () => {
    const request = job({ jobId: "a3f5c9e1-2b4d-4e6f-8a1b-3c5d7e9f0a12", strategyId: "martingale" });
    expect(await runBacktestJob(loadBacktestConfig(env(request)), { s3: task.s3, sqs: task.sqs, log })).toBe(
      1,
    );
    expect((await results())[0]?.error).toMatch(/^strategyId: unknown strategy/);
  });

  it("reports FAILED when SIGTERM arrived before the work was done", async () => {
    const request = job({ jobId: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f" });
    const controller = new AbortController();
    controller.abort(new Error("stopped by SIGTERM"));
    expect(
      await runBacktestJob(loadBacktestConfig(env(request)), {
        s3: task.s3,
        sqs: task.sqs,
        log,
        signal: controller.signal,
      }),
    ).toBe(1);
    expect(await results()).toEqual([
      { jobId: request.jobId, status: "FAILED", error: "stopped by SIGTERM" },
    ]);
  });

  it("rejects an invalid JOB_REQUEST naming the fields, and still reports the job FAILED", async () => {
    const request = job({
      jobId: "d4c3b2a1-0f9e-4d8c-b7a6-958473625140",
      symbol: "bitcoin",
      timeframe: "7m",
    });
    let error: unknown;
    try {
      loadBacktestConfig(env(request));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual([
      "JOB_REQUEST.symbol",
      "JOB_REQUEST.timeframe",
    ]);
    await reportInvalidJob(env(request), error as ConfigError, task.sqs, log);
    const [message] = await results();
    expect(message).toMatchObject({ jobId: request.jobId, status: "FAILED" });
    expect(message?.error).toContain("JOB_REQUEST.symbol");
  });

  it("refuses a JOB_REQUEST for another job than JOB_ID", () => {
    expect(() =>
      loadBacktestConfig({ ...env(job()), JOB_ID: "11111111-2222-4333-8444-555555555555" }),
    ).toThrow(/JOB_REQUEST: jobId differs from JOB_ID/);
  });
});
