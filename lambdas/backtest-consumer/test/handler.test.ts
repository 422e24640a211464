import { randomUUID } from "node:crypto";
import { JobStore } from "@tradai/aws-clients";
import type { NotificationMessage } from "@tradai/contracts";
import { dynamo } from "@tradai/lambda-common";
import {
  createJobsTable,
  createTopicProbe,
  lambdaContext,
  setTestEnv,
  sqsEvent,
  type TopicProbe,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const TABLE = "tradai-test-jobs";
const metrics = { totalReturn: 0.12, sharpe: 1.4, maxDrawdown: 0.08, trades: 42 };

describe("backtest-consumer", () => {
  useMoto();
  let store: JobStore;
  let probe: TopicProbe;
  let restore: () => void;

  beforeAll(async () => {
    probe = await createTopicProbe("tradai-test-notifications");
    restore = setTestEnv({ JOBS_TABLE: TABLE, NOTIFICATIONS_TOPIC_ARN: probe.topicArn, ENVIRONMENT: "dev" });
    await createJobsTable(TABLE);
    store = new JobStore({ tableName: TABLE, client: dynamo });
  });
  afterAll(() => restore());

  /** Every notification delivered to the probe queue since the last call. */
  async function notifications(): Promise<NotificationMessage[]> {
    return (await probe.received()) as NotificationMessage[];
  }

  const runningJob = async () => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "backtest", status: "RUNNING" });
    return jobId;
  };

  it("records a result, notifies, and reports only the malformed record as failed", async () => {
    const jobId = await runningJob();
    const resultKey = `backtests/${jobId}/result.json`;
    const event = sqsEvent([
      JSON.stringify({ jobId, status: "COMPLETED", metrics, resultKey }),
      JSON.stringify({ jobId: randomUUID(), status: "COMPLETED" }),
    ]);

    const response = await handler(event, lambdaContext("backtest-consumer"));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.messageId }]);
    expect(await store.get(jobId)).toMatchObject({ status: "COMPLETED", metrics, resultKey });
    const sent = await notifications();
    expect(sent).toEqual([
      expect.objectContaining({
        kind: "backtest",
        outcome: "completed",
        jobId,
        metrics,
        resultKey,
        environment: "dev",
      }),
    ]);
  });

  it("is idempotent on redelivery: no second write, no second notification", async () => {
    const jobId = await runningJob();
    const event = sqsEvent([
      JSON.stringify({ jobId, status: "FAILED", error: "strategy raised ZeroDivisionError" }),
    ]);
    await handler(event);
    const first = await store.get(jobId);
    expect(first).toMatchObject({ status: "FAILED", error: "strategy raised ZeroDivisionError" });
    expect(await notifications()).toEqual([expect.objectContaining({ jobId, outcome: "failed" })]);

    expect((await handler(event)).batchItemFailures).toEqual([]);
    expect(await store.get(jobId)).toEqual(first);
    expect(await notifications()).toEqual([]);
  });

  it("adds the result when the task's stop event already completed the job", async () => {
    const jobId = await runningJob();
    await store.transition(jobId, "COMPLETED", { reason: "Essential container in task exited" });
    await handler(sqsEvent([JSON.stringify({ jobId, status: "COMPLETED", metrics })]));
    expect(await store.get(jobId)).toMatchObject({ status: "COMPLETED", metrics });
    expect(await notifications()).toEqual([expect.objectContaining({ jobId, outcome: "completed" })]);
  });

  it("does not overwrite a job that finished with another status", async () => {
    const jobId = await runningJob();
    await store.transition(jobId, "CANCELLED");
    expect(
      (await handler(sqsEvent([JSON.stringify({ jobId, status: "COMPLETED", metrics })]))).batchItemFailures,
    ).toEqual([]);
    const job = await store.get(jobId);
    expect(job?.status).toBe("CANCELLED");
    expect(job?.metrics).toBeUndefined();
    expect(await notifications()).toEqual([]);
  });

  it("fails the record of an unknown job and writes nothing for a body that is not JSON", async () => {
    const unknown = randomUUID();
    const event = sqsEvent([JSON.stringify({ jobId: unknown, status: "FAILED", error: "x" }), "not json"]);
    await expect(handler(event)).rejects.toThrow(/All records failed/);
    expect(await store.get(unknown)).toBeUndefined();
    expect(await notifications()).toEqual([]);
  });
});
