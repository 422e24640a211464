/**
 * Property: a malformed status update, direct or an ECS task state change (wrong shapes, job ids in a
 * looser format than the jobs table uses, reasons larger than a job item may hold), is rejected with
 * InvalidEventError and the job is unchanged.
 */
import { randomUUID } from "node:crypto";
import { JobStore } from "@tradai/aws-clients";
import { dynamo, InvalidEventError } from "@tradai/lambda-common";
import {
  badIdentifier,
  brokenEvent,
  createJobsTable,
  ecsTaskStoppedEvent,
  expectRejectedWithoutChange,
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

describe("update-status: bad input", () => {
  useMoto();
  quietLogger();
  let restore: () => void = () => {};
  beforeAll(async () => {
    restore = setTestEnv({ JOBS_TABLE: TABLE, BACKTEST_CONTAINER_NAME: "strategy-service" });
    await createJobsTable(TABLE);
    // RUNNING: an accepted update or stop event would move it on.
    await new JobStore({ tableName: TABLE, client: dynamo }).create({
      jobId,
      kind: "backtest",
      status: "RUNNING",
    });
  });
  afterAll(() => restore());

  it("rejects every malformed direct request with InvalidEventError and leaves the job unchanged", async () => {
    const events = brokenEvent(
      { jobId, status: "FAILED", reason: "task exited 1" },
      {
        jobId: fc.oneof(badIdentifier(), fc.constant(`${jobId}/../x`)),
        status: fc.oneof(notAString(), fc.constantFrom("DONE", "failed", "")),
        // Free text stored on the job item (DynamoDB items hold 400 KB).
        reason: fc.oneof(
          notAString(),
          fc.constantFrom("", stringOfBytes(64 * 1024), stringOfBytes(500 * 1024)),
        ),
      },
      ["jobId", "status"],
    );
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(() => handler(event), InvalidEventError),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("rejects every malformed ECS task state change with InvalidEventError and leaves the job unchanged", async () => {
    const stopped = ecsTaskStoppedEvent({ startedBy: jobId, containerName: "strategy-service", exitCode: 1 });
    const events = fc
      .constantFrom<((e: typeof stopped) => unknown)[]>(
        (e) => ({ ...e, source: "aws.s3" }),
        (e) => ({ ...e, detail: null }),
        (e) => ({ ...e, detail: { ...e.detail, containers: "none" } }),
        (e) => ({ ...e, detail: { ...e.detail, taskArn: "" } }),
        (e) => ({ ...e, detail: { ...e.detail, startedBy: stringOfBytes(3000) } }),
        (e) => ({ ...e, detail: { ...e.detail, stoppedReason: stringOfBytes(64 * 1024) } }),
        (e) => ({
          ...e,
          detail: {
            ...e.detail,
            containers: [{ ...e.detail.containers[0], reason: stringOfBytes(64 * 1024) }],
          },
        }),
      )
      .map((breakIt) => breakIt(stopped));
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(() => handler(event), InvalidEventError),
      ),
      { numRuns: 15 },
    );
  });
});
