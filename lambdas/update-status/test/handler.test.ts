import { randomUUID } from "node:crypto";
import { IllegalTransitionError, JobNotFoundError, JobStore } from "@tradai/aws-clients";
import type { JobRecord } from "@tradai/contracts";
import { dynamo, InvalidEventError } from "@tradai/lambda-common";
import {
  createJobsTable,
  ecsTaskStoppedEvent,
  lambdaContext,
  setTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";

const TABLE = "tradai-test-jobs";

describe("update-status", () => {
  useMoto();
  let store: JobStore;
  let restore: () => void;

  beforeAll(async () => {
    restore = setTestEnv({ JOBS_TABLE: TABLE, BACKTEST_CONTAINER_NAME: "strategy-service" });
    await createJobsTable(TABLE);
    store = new JobStore({ tableName: TABLE, client: dynamo });
  });
  afterAll(() => restore());

  const newJob = async (status: JobRecord["status"] = "PENDING") => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "retraining", status });
    return jobId;
  };

  describe("direct requests", () => {
    it("applies a legal transition and returns the job", async () => {
      const jobId = await newJob();
      const job = await handler(
        { jobId, status: "RUNNING", reason: "workflow started" },
        lambdaContext("update-status"),
      );
      expect(job).toMatchObject({ jobId, status: "RUNNING", version: 2, reason: "workflow started" });
      expect(await store.get(jobId)).toMatchObject({ status: "RUNNING", version: 2 });
    });

    it("treats a repeat of the current status as a no-op (retried Step Functions state)", async () => {
      const jobId = await newJob("RUNNING");
      expect(await handler({ jobId, status: "RUNNING" })).toMatchObject({ status: "RUNNING", version: 1 });
      expect((await store.get(jobId))?.version).toBe(1);
    });

    it("rejects an illegal transition with a clear error and writes nothing", async () => {
      const jobId = await newJob("COMPLETED");
      await expect(handler({ jobId, status: "RUNNING" })).rejects.toThrow(IllegalTransitionError);
      await expect(handler({ jobId, status: "FAILED" })).rejects.toThrow(
        `job ${jobId}: illegal status transition COMPLETED -> FAILED`,
      );
      expect(await store.get(jobId)).toMatchObject({ status: "COMPLETED", version: 1 });
    });

    it("rejects an unknown job and a malformed request", async () => {
      await expect(handler({ jobId: randomUUID(), status: "RUNNING" })).rejects.toThrow(JobNotFoundError);
      const jobId = await newJob();
      await expect(handler({ jobId, status: "DONE" })).rejects.toThrow(InvalidEventError);
      await expect(handler({ status: "RUNNING" })).rejects.toThrow(/jobId/);
      expect((await store.get(jobId))?.version).toBe(1);
    });

    it("lets exactly one of many parallel conflicting updates win, losing nothing", async () => {
      const jobId = await newJob("RUNNING");
      const targets = [
        "COMPLETED",
        "FAILED",
        "CANCELLED",
        "COMPLETED",
        "FAILED",
        "CANCELLED",
        "COMPLETED",
        "FAILED",
      ];
      const results = await Promise.allSettled(targets.map((status) => handler({ jobId, status })));
      const final = await store.get(jobId);
      // Exactly one write happened; every request for the winning status succeeds (as a no-op after the
      // first), every request for another status is rejected as illegal.
      expect(final?.version).toBe(2);
      results.forEach((result, i) => {
        if (targets[i] === final?.status) expect(result.status).toBe("fulfilled");
        else expect((result as PromiseRejectedResult).reason).toBeInstanceOf(IllegalTransitionError);
      });
    });
  });

  describe("ECS Task State Change events", () => {
    it("marks the job COMPLETED when the backtest container exited 0", async () => {
      const jobId = await newJob("RUNNING");
      const event = ecsTaskStoppedEvent({ startedBy: jobId, containerName: "strategy-service", exitCode: 0 });
      expect(await handler(event)).toMatchObject({ changed: true, jobId, status: "COMPLETED" });
      expect(await store.get(jobId)).toMatchObject({
        status: "COMPLETED",
        version: 2,
        taskArn: event.detail.taskArn,
      });
    });

    it("marks the job FAILED with the reason when the container exited non-zero", async () => {
      const jobId = await newJob("RUNNING");
      const event = ecsTaskStoppedEvent({ startedBy: jobId, containerName: "strategy-service", exitCode: 3 });
      await handler(event);
      const job = await store.get(jobId);
      expect(job?.status).toBe("FAILED");
      expect(job?.error).toMatch(/container strategy-service exit code 3/);
    });

    it("fails a job whose task stopped without an exit code (never started)", async () => {
      const jobId = await newJob("RUNNING");
      await handler(
        ecsTaskStoppedEvent({
          startedBy: jobId,
          containerName: "strategy-service",
          stoppedReason: "CannotPullContainerError",
        }),
      );
      expect((await store.get(jobId))?.error).toMatch(/no exit code; CannotPullContainerError/);
    });

    it("leaves finished jobs, other states and service tasks alone", async () => {
      const done = await newJob("COMPLETED");
      expect(
        await handler(
          ecsTaskStoppedEvent({ startedBy: done, containerName: "strategy-service", exitCode: 1 }),
        ),
      ).toMatchObject({
        changed: false,
        status: "COMPLETED",
      });
      expect((await store.get(done))?.version).toBe(1);

      const running = await newJob("RUNNING");
      const provisioning = ecsTaskStoppedEvent({
        startedBy: running,
        containerName: "strategy-service",
        lastStatus: "RUNNING",
      });
      expect(await handler(provisioning)).toMatchObject({ changed: false });
      const service = ecsTaskStoppedEvent({
        startedBy: "ecs-svc/123",
        containerName: "backend",
        exitCode: 1,
      });
      expect(await handler(service)).toMatchObject({
        changed: false,
        note: "task was not started for a job",
      });
      expect((await store.get(running))?.version).toBe(1);
    });

    it("rejects a malformed ECS event", async () => {
      const event = ecsTaskStoppedEvent({
        startedBy: randomUUID(),
        containerName: "strategy-service",
        exitCode: 0,
      });
      const broken = { ...event, detail: { ...event.detail, containers: "none" } };
      await expect(handler(broken)).rejects.toThrow(/invalid ECS task state change event: detail.containers/);
    });
  });
});
