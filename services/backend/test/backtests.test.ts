import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { BacktestJobMessage, JobRecord } from "@tradai/contracts";
import { TEST_ACCOUNT_ID, TEST_REGION, useMoto } from "@tradai/testing";
import { backtestRequest, smaStrategy } from "./fixtures";
import { type Backend, client, createResources, startBackend, VALIDATE_STRATEGY_FUNCTION } from "./harness";
import { accessToken, makeKey } from "./tokens";

const request = backtestRequest;

describe("backend POST /v1/backtests and GET /v1/jobs/:id", () => {
  const moto = useMoto();
  const key = makeKey("k");
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let resources: Awaited<ReturnType<typeof createResources>>;
  const started: Backend[] = [];

  async function start(overrides: Partial<typeof resources> = {}) {
    const backend = await startBackend({ ...resources, ...overrides, key });
    started.push(backend);
    return client(backend.url, accessToken(key, { sub: "quant-7" }));
  }
  async function jobs(table = resources.jobsTable) {
    const scan = await DynamoDBDocumentClient.from(dynamodb).send(new ScanCommand({ TableName: table }));
    return scan.Items ?? [];
  }
  async function receiveAll() {
    const result = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    return result.Messages ?? [];
  }

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    dynamodb = new DynamoDBClient({ region: TEST_REGION });
    sqs = new SQSClient({ region: TEST_REGION });
    resources = await createResources(dynamodb, sqs, "backtests");
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((b) => b.app.close()));
    await receiveAll(); // drain anything left for the next test
  });

  it("writes a PENDING job and puts the matching BacktestJobMessage on the queue", async () => {
    const call = await start();
    const response = await call("POST", "/v1/backtests", request);
    expect(response.status).toBe(202);
    const jobId = response.body.jobId as string;
    expect(response.headers.get("location")).toBe(`/v1/jobs/${jobId}`);

    const messages = await receiveAll();
    expect(messages).toHaveLength(1);
    const message = BacktestJobMessage.parse(JSON.parse(messages[0]?.Body ?? ""));
    expect(message).toEqual({ ...request, jobId });
    expect(messages[0]?.MessageAttributes?.jobId?.StringValue ?? jobId).toBe(jobId);

    const job = await call("GET", `/v1/jobs/${jobId}`);
    expect(job.status).toBe(200);
    const record = JobRecord.parse(job.body);
    expect(record).toMatchObject({
      jobId,
      kind: "backtest",
      status: "PENDING",
      version: 1,
      request: message,
      createdBy: "quant-7",
    });
    expect(record.expiresAt).toBeGreaterThan(Date.now() / 1000 + 89 * 86_400);
  });

  it("answers 400 listing the failing fields and creates neither job nor message", async () => {
    const call = await start();
    const before = (await jobs()).length;
    const response = await call("POST", "/v1/backtests", {
      ...request,
      exchange: "BINANCE!",
      timeframe: "2d",
      symbol: "btc",
      from: "yesterday",
    });
    expect(response.status).toBe(400);
    expect((response.body.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      "body.exchange",
      "body.from",
      "body.symbol",
      "body.timeframe",
    ]);
    expect(await jobs()).toHaveLength(before);
    expect(await receiveAll()).toEqual([]);
  });

  it("validates a stored strategy the backtest names through validate-strategy; invalid: 400, no job", async () => {
    // Stored before a constraint it breaks existed (stop loss above take profit).
    const definition = smaStrategy({
      id: "legacy-rules",
      risk: { stopLossPct: 0.1, takeProfitPct: 0.05, maxPositionPct: 0.2, maxOpenPositions: 1 },
    });
    await DynamoDBDocumentClient.from(dynamodb).send(
      new PutCommand({
        TableName: resources.strategiesTable,
        Item: {
          strategyId: "legacy-rules",
          definition,
          version: 1,
          createdBy: "x",
          createdAt: "2024-01-01T00:00:00Z",
        },
      }),
    );
    const backend = await startBackend({ ...resources, key });
    started.push(backend);
    const call = client(backend.url, accessToken(key, { sub: "quant-7" }));
    const before = (await jobs()).length;
    const response = await call("POST", "/v1/backtests", { ...request, strategyId: "legacy-rules" });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("stored strategy legacy-rules is invalid");
    expect(response.body.fields).toEqual([
      { field: "strategy.risk.stopLossPct", message: "stop loss must be smaller than take profit" },
    ]);
    expect(backend.lambdas.invocations[VALIDATE_STRATEGY_FUNCTION]).toEqual([definition]);
    expect(await jobs()).toHaveLength(before);
    expect(await receiveAll()).toEqual([]);
    // A built-in strategy is code, not a stored definition: nothing to validate.
    const builtIn = await call("POST", "/v1/backtests", request);
    expect(builtIn.status).toBe(202);
    expect(backend.lambdas.invocations[VALIDATE_STRATEGY_FUNCTION]).toHaveLength(1);
  });

  it("leaves no job behind when the message cannot be sent", async () => {
    const before = (await jobs()).length;
    const missingQueue = resources.queueUrl.replace(/[^/]+$/, "no-such-queue");
    expect(missingQueue).toContain(TEST_ACCOUNT_ID);
    const call = await start({ queueUrl: missingQueue });
    const response = await call("POST", "/v1/backtests", request);
    expect(response.status).toBe(503);
    expect(await jobs()).toHaveLength(before);
    expect(await receiveAll()).toEqual([]);
  });

  it("sends no message when the job cannot be written", async () => {
    const call = await start({ jobsTable: "no-such-table" });
    const response = await call("POST", "/v1/backtests", request);
    expect(response.status).toBe(503);
    expect(await receiveAll()).toEqual([]);
  });

  it("answers 404 for an unknown job and 400 for a malformed id", async () => {
    const call = await start();
    expect((await call("GET", "/v1/jobs/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const bad = await call("GET", `/v1/jobs/${encodeURIComponent("a b")}`);
    expect(bad.status).toBe(400);
    expect((bad.body.fields as { field: string }[])[0]?.field).toBe("params.id");
  });
});
