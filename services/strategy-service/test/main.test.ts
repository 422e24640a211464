import * as path from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { s3ClientConfig } from "@tradai/aws-clients/s3";
import { sampleBacktestJob } from "@tradai/contracts/fixtures";
import { recorderEnv } from "@tradai/iam-recorder/testing";
import { jsonLines, spawnService, startEntry } from "@tradai/service-common/testing";
import { awsEnvFor, TEST_REGION, useMoto } from "@tradai/testing";
import { createBucket, writeDays } from "./market";

const ENTRY = path.join(__dirname, "..", "src", "main.ts");
const MARKET = "main-market-data";
const ARTIFACTS = "main-artifacts";

describe("strategy-service main.ts (real processes)", () => {
  const moto = useMoto();
  let queueUrl: string;

  beforeAll(async () => {
    const s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    await createBucket(s3, MARKET);
    await createBucket(s3, ARTIFACTS);
    await writeDays(s3, MARKET, "2024-03-01", 3);
    queueUrl =
      (
        await new SQSClient({ region: TEST_REGION }).send(
          new CreateQueueCommand({ QueueName: "main-results" }),
        )
      ).QueueUrl ?? "";
    await new DynamoDBClient({ region: TEST_REGION }).send(
      new CreateTableCommand({
        TableName: "main-heartbeats",
        KeySchema: [{ AttributeName: "serviceId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "serviceId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await new DynamoDBClient({ region: TEST_REGION }).send(
      new CreateTableCommand({
        TableName: "main-leases",
        KeySchema: [{ AttributeName: "leaseId", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "leaseId", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  });

  it("MODE=backtest runs the job, sends the result and exits 0", async () => {
    const jobId = "9e8d7c6b-5a49-4382-9160-fedcba987654";
    const request = sampleBacktestJob(jobId, { from: "2024-03-01", to: "2024-03-03" });
    const run = startEntry(ENTRY, {
      ...awsEnvFor(moto()),
      ...recorderEnv("ecs:backtest"),
      MODE: "backtest",
      MARKET_DATA_BUCKET: MARKET,
      ARTIFACTS_BUCKET: ARTIFACTS,
      BACKTEST_RESULTS_QUEUE_URL: queueUrl,
      JOB_ID: jobId,
      JOB_REQUEST: JSON.stringify(request),
    });
    expect(await run.exited).toBe(0);
    const received = await new SQSClient({ region: TEST_REGION }).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
    );
    expect(JSON.parse(received.Messages?.[0]?.Body ?? "{}")).toMatchObject({ jobId, status: "COMPLETED" });
    expect(jsonLines(run.lines())).toEqual(
      expect.arrayContaining([expect.objectContaining({ jobId, msg: "backtest completed" })]),
    );
  });

  it("MODE=dry-run beats into DynamoDB, holds the trading lease, and releases it on SIGTERM", async () => {
    const service = await spawnService(ENTRY, {
      ...awsEnvFor(moto()),
      ...recorderEnv("ecs:dry-run-trading"),
      MODE: "dry-run",
      HEARTBEATS_TABLE: "main-heartbeats",
      LEASES_TABLE: "main-leases",
      MARKET_DATA_BUCKET: MARKET,
    });
    // The first tick runs when the server is ready; /ready turns 200 once its heartbeat is written.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: TEST_REGION }));
    let ready = 503;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await fetch(`${service.url}/ready`)).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    const item = (
      await db.send(new GetCommand({ TableName: "main-heartbeats", Key: { serviceId: "dry-run-trading" } }))
    ).Item;
    expect(item).toMatchObject({ serviceId: "dry-run-trading", mode: "dry-run" });
    const lease = async () =>
      (
        await db.send(
          new GetCommand({
            TableName: "main-leases",
            Key: { leaseId: "dry-run-trading" },
            ConsistentRead: true,
          }),
        )
      ).Item;
    expect(await lease()).toMatchObject({ leaseId: "dry-run-trading", holder: expect.any(String) });
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
    // A graceful stop hands the lease back, so the next task trades without waiting for it to expire.
    expect(await lease()).toBeUndefined();
    expect(jsonLines(service.lines())).toEqual(
      expect.arrayContaining([expect.objectContaining({ msg: "trading loop stopped" })]),
    );
  });

  it("exits 1 for an unknown MODE", async () => {
    const run = startEntry(ENTRY, { ...awsEnvFor(moto()), MODE: "paper" });
    expect(await run.exited).toBe(1);
    expect(jsonLines(run.lines())[0]?.msg).toContain("MODE: ");
  });
});
