/**
 * The backend and a Lambda write the same jobs table through the one store (@tradai/aws-clients): when the
 * backend undoes a job it could not enqueue while a consumer has already taken it, the backend's write at
 * the version it created is refused as stale, exactly as a Lambda's would be, and the job is left alone.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { JobStore } from "@tradai/aws-clients";
import { createJobsTable } from "@tradai/aws-clients/testing";
import { type BacktestJobMessage, BacktestRequest } from "@tradai/contracts";
import { createLogger, HttpError } from "@tradai/service-common";
import { TEST_REGION, useMoto } from "@tradai/testing";
import { submitBacktest } from "../src/jobs/backtests";
import { BacktestQueue } from "../src/jobs/queue";
import { backtestRequest } from "./fixtures";

const request = BacktestRequest.parse(backtestRequest);

/** A queue whose send fails after `beforeFailing` ran (the message delivered, the reply lost). */
class FailingQueue extends BacktestQueue {
  constructor(private readonly beforeFailing: (message: BacktestJobMessage) => Promise<void>) {
    super(new SQSClient({ region: TEST_REGION }), "unused");
  }
  override async send(message: BacktestJobMessage): Promise<string | undefined> {
    await this.beforeFailing(message);
    throw new Error("connection reset");
  }
}

describe("backend undo against a job a Lambda has taken", () => {
  useMoto();
  const table = "jobs-race";
  const clients: DynamoDBClient[] = [];
  /** A writer with a client of its own, as the backend (app.ts) and a Lambda (lambda-common) build theirs. */
  const store = (options: { ttlDays?: number } = {}) => {
    const raw = new DynamoDBClient({ region: TEST_REGION });
    clients.push(raw);
    const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    return new JobStore({ tableName: table, client: db, ...options });
  };
  const log = createLogger("backend-api", "silent");

  beforeAll(() => createJobsTable(table, { region: TEST_REGION }));
  afterAll(() => {
    for (const client of clients) client.destroy();
  });

  it("leaves the job the consumer moved to RUNNING: the delete at version 1 is refused as stale", async () => {
    const backend = store({ ttlDays: 90 });
    const lambda = store();
    const jobId = randomUUID();
    const queue = new FailingQueue(async (message) => {
      await lambda.transition(message.jobId, "RUNNING", { taskArn: "arn:aws:ecs:task/1" });
    });
    const warn = jest.spyOn(log, "warn");

    const error = await submitBacktest(request, "quant-7", {
      jobs: backend,
      queue,
      log,
      newId: () => jobId,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ statusCode: 503 });
    expect(await lambda.get(jobId)).toMatchObject({
      status: "RUNNING",
      version: 2,
      taskArn: "arn:aws:ecs:task/1",
    });
    expect(warn).toHaveBeenCalledWith({ jobId }, "job changed before it could be deleted; leaving it");
  });

  it("deletes the untouched job when nobody took it", async () => {
    const backend = store({ ttlDays: 90 });
    const jobId = randomUUID();
    const queue = new FailingQueue(async () => {
      // The job as the backend created it: PENDING, version 1, with the TTL the store stamped.
      expect(await backend.get(jobId)).toMatchObject({ status: "PENDING", version: 1, createdBy: "quant-7" });
      expect((await backend.get(jobId))?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 89 * 86_400);
    });
    await expect(
      submitBacktest(request, "quant-7", { jobs: backend, queue, log, newId: () => jobId }),
    ).rejects.toBeInstanceOf(HttpError);
    expect(await backend.get(jobId)).toBeUndefined();
  });
});
