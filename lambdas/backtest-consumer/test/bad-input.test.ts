/**
 * Property: malformed backtest-results messages (wrong shapes, a result key S3 could not hold or outside
 * the job's prefix, an error too large for the notification SNS carries) are reported as batch item
 * failures, each as invalid, with the job unchanged and nothing published.
 */
import { randomUUID } from "node:crypto";
import { JobStore } from "@tradai/aws-clients";
import { dynamo } from "@tradai/lambda-common";
import {
  badIdentifier,
  brokenEvent,
  createJobsTable,
  createTopicProbe,
  expectBatchRejectedWithoutChange,
  notAString,
  PROPERTY_RUNS,
  quietLogger,
  setTestEnv,
  stringOfBytes,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { handler } from "../src/handler";

const TABLE = "tradai-test-jobs";
const jobId = randomUUID();

const completed = {
  jobId,
  status: "COMPLETED",
  metrics: { totalReturn: 0.1, sharpe: 1.2, maxDrawdown: 0.1, trades: 3 },
  resultKey: `backtests/${jobId}/result.json`,
};

const brokenBody = fc
  .oneof(
    brokenEvent(
      completed,
      {
        jobId: fc.oneof(badIdentifier(), fc.constant("not-a-uuid")),
        status: fc.oneof(notAString(), fc.constantFrom("DONE", "RUNNING")),
        metrics: fc.constantFrom(null, { totalReturn: 1 }, { ...completed.metrics, maxDrawdown: 2 }),
        resultKey: fc.constantFrom(
          "",
          `backtests/${jobId}/${"k".repeat(1100)}`,
          `backtests/${randomUUID()}/result.json`,
          "../../etc/passwd",
        ),
      },
      ["jobId", "status", "metrics"],
    ),
    // FAILED with an error that fits an SQS message but not, with its envelope, an SNS notification.
    fc
      .constantFrom(200 * 1024, 250 * 1024)
      .map((bytes) => ({ jobId, status: "FAILED", error: stringOfBytes(bytes) })),
  )
  .map((body) => JSON.stringify(body) ?? "undefined");

describe("backtest-consumer: bad input", () => {
  useMoto();
  quietLogger();
  let restore: () => void = () => {};

  beforeAll(async () => {
    const notifications = await createTopicProbe("tradai-test-notifications");
    restore = setTestEnv({
      JOBS_TABLE: TABLE,
      NOTIFICATIONS_TOPIC_ARN: notifications.topicArn,
      ENVIRONMENT: "dev",
    });
    await createJobsTable(TABLE);
    // The job the results name is RUNNING: an accepted result would finish it and notify.
    await new JobStore({ tableName: TABLE, client: dynamo }).create({
      jobId,
      kind: "backtest",
      status: "RUNNING",
    });
  });
  afterAll(() => restore());

  it("reports every malformed result as an invalid batch item failure; the job stays, nothing is published", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(brokenBody, { minLength: 1, maxLength: 2 }), (bodies) =>
        expectBatchRejectedWithoutChange(handler, bodies, "backtest result message failed"),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
