import {
  CreateClusterCommand,
  DescribeTasksCommand,
  type DescribeTasksCommandOutput,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { JobStore } from "@tradai/aws-clients";
import { dynamo, ecs, InvalidEventError, logger, resetClients, resetEnvCache } from "@tradai/lambda-common";
import { createJobsTable, scheduledEvent } from "@tradai/lambda-common/testing";
import { TEST_REGION, useMoto } from "@tradai/testing";
import type { ScheduledEvent } from "aws-lambda";
import { handler } from "../src/handler";

const CLUSTER = "tradai-test";
const TABLE = "tradai-test-jobs";
const BUCKET = "tradai-test-artifacts";
const OVERDUE_JOB = "0b5c3a52-8a3f-4c55-9a51-5d5e3d1f2a10";
const YOUNG_JOB = "7d0f6c1e-2b8a-4f3e-9c4d-1a2b3c4d5e6f";

const scheduled = (detail: Record<string, unknown> = {}): ScheduledEvent => ({
  ...scheduledEvent(new Date("2026-03-01T03:00:00Z"), "tradai-test-cleanup-resources"),
  detail,
});

const MINUTE = 60_000;
const DAY = 86_400_000;

describe("cleanup-resources handler", () => {
  const moto = useMoto();
  const ecsClient = () => new ECSClient({});
  const s3Client = () => new S3Client({ forcePathStyle: true });
  /** How long ago each task started, by startedBy; moto does not record task start times. */
  let startedMinutesAgo: Record<string, number>;

  const taskStates = async () => {
    const { taskArns = [] } = await ecsClient().send(new ListTasksCommand({ cluster: CLUSTER }));
    const { tasks = [] } = await ecsClient().send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }),
    );
    return Object.fromEntries(tasks.map((t) => [t.startedBy, t.desiredStatus]));
  };
  const keys = async () =>
    ((await s3Client().send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();

  beforeEach(async () => {
    await moto().reset();
    resetClients();
    resetEnvCache();
    startedMinutesAgo = { [OVERDUE_JOB]: 180, [YOUNG_JOB]: 10, "ecs-svc/1234567890": 10_000 };
    // Real ECS reports startedAt; moto does not, so the test adds it to DescribeTasks answers.
    ecs().middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as Partial<DescribeTasksCommandOutput>;
        for (const task of output.tasks ?? []) {
          const ago = startedMinutesAgo[task.startedBy ?? ""];
          if (ago !== undefined) task.startedAt = new Date(Date.now() - ago * MINUTE);
        }
        return result;
      },
      { step: "initialize", name: "motoTaskStartedAt" },
    );

    const client = ecsClient();
    await client.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const { taskDefinition } = await client.send(
      new RegisterTaskDefinitionCommand({
        family: "tradai-test-backtest",
        networkMode: "bridge",
        containerDefinitions: [{ name: "strategy-service", image: "strategy:1", memory: 512 }],
      }),
    );
    for (const startedBy of Object.keys(startedMinutesAgo)) {
      await client.send(
        new RunTaskCommand({
          cluster: CLUSTER,
          taskDefinition: taskDefinition?.taskDefinitionArn,
          launchType: "FARGATE",
          startedBy,
        }),
      );
    }

    // Configured before the fixtures: the jobs they write go through the Lambda's own store.
    Object.assign(process.env, {
      ECS_CLUSTER: CLUSTER,
      JOBS_TABLE: TABLE,
      ARTIFACTS_BUCKET: BUCKET,
      BACKTEST_MAX_RUNTIME_MINUTES: "120",
      JOB_STUCK_MINUTES: "30",
      ARTIFACT_RETENTION_DAYS: "30",
    });

    await createJobsTable(TABLE);
    const at = (minutesAgo: number) =>
      new JobStore({
        tableName: TABLE,
        client: dynamo,
        now: () => new Date(Date.now() - minutesAgo * MINUTE),
      });
    await at(120).create({ jobId: "stuck", kind: "backtest", status: "RUNNING" });
    await at(5).create({ jobId: "progressing", kind: "backtest", status: "RUNNING" });
    await at(600).create({ jobId: "queued", kind: "backtest", status: "PENDING" });

    await s3Client().send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: TEST_REGION },
      }),
    );
    for (const key of [
      "backtests/a/result.json",
      "backtests/b/result.json",
      "mlflow/1/model.pkl",
      "drift/m/reference.json",
    ]) {
      await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "{}" }));
    }
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** Moves only the clock (not timers) forward, so objects written now look `days` old. */
  const clockForward = (days: number) =>
    jest.useFakeTimers({
      now: Date.now() + days * DAY,
      doNotFake: [
        "setTimeout",
        "clearTimeout",
        "setInterval",
        "clearInterval",
        "setImmediate",
        "clearImmediate",
        "nextTick",
        "queueMicrotask",
        "hrtime",
        "performance",
      ],
    });

  it("stops overdue job tasks, fails stuck jobs through the store and keeps fresh artifacts", async () => {
    const report = await handler(scheduled());

    expect(report.tasks?.overdue.map((t) => t.jobId)).toEqual([OVERDUE_JOB]);
    expect(report.tasks?.stopped).toBe(1);
    expect(await taskStates()).toEqual({
      [OVERDUE_JOB]: "STOPPED",
      [YOUNG_JOB]: "RUNNING",
      "ecs-svc/1234567890": "RUNNING",
    });

    expect(report.jobs).toEqual({ stuck: ["stuck"], failed: 1, skipped: [] });
    const store = new JobStore({ tableName: TABLE, client: dynamo });
    const stuck = await store.require("stuck");
    expect(stuck).toMatchObject({ status: "FAILED", version: 2 });
    expect(stuck.reason).toMatch(
      /^no progress since .* \(limit 30 min\); marked FAILED by cleanup-resources$/,
    );
    expect(await store.require("progressing")).toMatchObject({ status: "RUNNING", version: 1 });
    expect(await store.require("queued")).toMatchObject({ status: "PENDING", version: 1 });

    expect(report.artifacts).toEqual({ expired: 0, deleted: 0 });
    expect(await keys()).toHaveLength(4);
  });

  it("deletes backtests/ artifacts past the retention and nothing else", async () => {
    clockForward(31);
    const report = await handler({ dryRun: false });
    expect(report.artifacts).toEqual({ expired: 2, deleted: 2 });
    expect(await keys()).toEqual(["drift/m/reference.json", "mlflow/1/model.pkl"]);
  });

  it("keeps artifacts inside the retention", async () => {
    clockForward(29);
    const report = await handler(scheduled());
    expect(report.artifacts).toEqual({ expired: 0, deleted: 0 });
    expect(await keys()).toHaveLength(4);
  });

  it("in a dry run reports what it would do and changes nothing", async () => {
    clockForward(31);
    const report = await handler(scheduled({ dryRun: true }));
    expect(report).toMatchObject({
      dryRun: true,
      tasks: { stopped: 0 },
      jobs: { stuck: ["stuck", "progressing"], failed: 0 },
      artifacts: { expired: 2, deleted: 0 },
    });
    expect(report.tasks?.overdue.map((t) => t.jobId)).toEqual([OVERDUE_JOB]);
    expect(Object.values(await taskStates())).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    expect(await new JobStore({ tableName: TABLE, client: dynamo }).require("stuck")).toMatchObject({
      status: "RUNNING",
      version: 1,
    });
    expect(await keys()).toHaveLength(4);
  });

  it("leaves a job alone when it progressed after being listed", async () => {
    // Another writer touches the job between the listing and the write: the fresh read is not stuck.
    const store = new JobStore({ tableName: TABLE, client: dynamo });
    const listed = JobStore.prototype.listByStatus;
    jest.spyOn(JobStore.prototype, "listByStatus").mockImplementation(async function (
      this: JobStore,
      ...args
    ) {
      const jobs = await listed.apply(this, args);
      await store.update("stuck", { reason: "heartbeat from the task" });
      return jobs;
    });
    const report = await handler(scheduled());
    expect(report.jobs).toEqual({ stuck: ["stuck"], failed: 0, skipped: ["stuck"] });
    expect(await store.require("stuck")).toMatchObject({ status: "RUNNING", version: 2 });
  });

  it("rejects a bad event with a logged error and changes nothing", async () => {
    const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
    await expect(handler(scheduled({ dryRun: "yes" }))).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handler({ dryrun: true })).rejects.toThrow(/invalid cleanup event/);
    expect(logged).toHaveBeenCalledWith("cleanup-resources failed", { error: expect.any(InvalidEventError) });
    expect(Object.values(await taskStates())).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    expect(await new JobStore({ tableName: TABLE, client: dynamo }).require("stuck")).toMatchObject({
      status: "RUNNING",
    });
  });

  it("still does the other parts when one fails, then reports the failure", async () => {
    jest.spyOn(logger, "error").mockImplementation(() => undefined);
    process.env.ECS_CLUSTER = "no-such-cluster";
    await expect(handler(scheduled())).rejects.toThrow(/^cleanup incomplete: tasks: /);
    expect(await new JobStore({ tableName: TABLE, client: dynamo }).require("stuck")).toMatchObject({
      status: "FAILED",
    });
  });
});
