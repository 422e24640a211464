import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateStateMachineCommand,
  ListExecutionsCommand,
  SFNClient,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { JobStore } from "@tradai/aws-clients";
import { dynamo, InvalidEventError } from "@tradai/lambda-common";
import {
  createJobsTable,
  createModelDeploymentsTable,
  lambdaContext,
  scheduledEvent,
  setTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import { handler } from "../src/handler";
import { executionName } from "../src/naming";

const JOBS = "tradai-test-jobs";
const DEPLOYMENTS = "tradai-test-model-deployments";
const DAY = 86_400_000;
const now = new Date("2026-03-10T06:00:00Z");

describe("retraining-scheduler", () => {
  useMoto();
  let sfn: SFNClient;
  let stateMachineArn: string;
  let store: JobStore;
  let restore: () => void;

  const deploy = async (modelName: string, deployedAt: Date) => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    await doc.send(
      new PutCommand({
        TableName: DEPLOYMENTS,
        Item: {
          modelName,
          deployedAt: deployedAt.toISOString(),
          version: "3",
          previousVersion: "2",
          jobId: "retrain-old",
          action: "promote",
        },
      }),
    );
    doc.destroy();
  };

  const executions = async () => {
    const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    return (out.executions ?? [])
      .map((e) => ({ name: e.name, arn: e.executionArn, status: e.status }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  };

  beforeAll(async () => {
    sfn = new SFNClient({});
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: "tradai-test-retraining",
        roleArn: "arn:aws:iam::123456789012:role/tradai-test-retraining",
        definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Pass", End: true } } }),
      }),
    );
    stateMachineArn = sm.stateMachineArn ?? "";
    await createJobsTable(JOBS);
    await createModelDeploymentsTable(DEPLOYMENTS);
    store = new JobStore({ tableName: JOBS, client: dynamo });
    await deploy("btc-lstm", new Date(now.getTime() - 10 * DAY));
    await deploy("eth-xgb", new Date(now.getTime() - 2 * DAY));
    restore = setTestEnv({
      RETRAINING_STATE_MACHINE_ARN: stateMachineArn,
      JOBS_TABLE: JOBS,
      MODEL_DEPLOYMENTS_TABLE: DEPLOYMENTS,
      RETRAINING_MODELS: JSON.stringify([
        { modelName: "btc-lstm", maxAgeDays: 7 },
        { modelName: "eth-xgb", maxAgeDays: 7 },
        { modelName: "sol.gbm", maxAgeDays: 30 },
      ]),
    });
  });
  afterAll(() => {
    restore();
    sfn.destroy();
  });

  it("starts one execution per due model, named <model>-<date>, with a PENDING job", async () => {
    const { results } = await handler(scheduledEvent(now), lambdaContext("retraining-scheduler"));

    expect(results.map((r) => [r.modelName, r.outcome])).toEqual([
      ["btc-lstm", "started"],
      ["eth-xgb", "not-due"],
      ["sol.gbm", "started"],
    ]);
    expect((await executions()).map((e) => e.name)).toEqual(["btc-lstm-2026-03-10", "sol-gbm-2026-03-10"]);
    const job = await store.get("retrain-btc-lstm-2026-03-10");
    expect(job).toMatchObject({ kind: "retraining", status: "PENDING", modelName: "btc-lstm" });
    expect(job?.request).toEqual({
      jobId: "retrain-btc-lstm-2026-03-10",
      modelName: "btc-lstm",
      trigger: "schedule",
    });
  });

  it("is idempotent on the same day, also once the day's execution has finished", async () => {
    await handler(scheduledEvent(new Date(now.getTime() + 3_600_000)));
    const before = await executions();
    expect(before).toHaveLength(2);

    for (const e of before) await sfn.send(new StopExecutionCommand({ executionArn: e.arn }));
    const { results } = await handler(scheduledEvent(new Date(now.getTime() + 7_200_000)));
    expect(results.filter((r) => r.modelName !== "eth-xgb").map((r) => r.outcome)).toEqual([
      "already-started",
      "already-started",
    ]);
    expect((await executions()).map((e) => e.name)).toEqual(before.map((e) => e.name));
  });

  it("does not start a model whose retraining is still in progress the next day", async () => {
    const { results } = await handler(scheduledEvent(new Date(now.getTime() + DAY)));
    expect(results.find((r) => r.modelName === "btc-lstm")).toMatchObject({
      outcome: "not-due",
      detail: "retraining retrain-btc-lstm-2026-03-10 is PENDING",
    });
    expect(await executions()).toHaveLength(2);
  });

  it("retries a model the day after its retraining failed, but not after one that completed", async () => {
    await store.transition("retrain-btc-lstm-2026-03-10", "FAILED", { error: "training task failed" });
    await store.transition("retrain-sol-gbm-2026-03-10", "RUNNING");
    await store.transition("retrain-sol-gbm-2026-03-10", "COMPLETED");
    const { results } = await handler(scheduledEvent(new Date(now.getTime() + DAY)));
    expect(results.map((r) => [r.modelName, r.outcome])).toEqual([
      ["btc-lstm", "started"],
      ["eth-xgb", "not-due"],
      ["sol.gbm", "not-due"],
    ]);
    expect((await executions()).map((e) => e.name)).toContain("btc-lstm-2026-03-11");
  });

  it("rejects an event that is not a scheduled event and starts nothing", async () => {
    await expect(handler({ source: "aws.events", time: "yesterday" })).rejects.toThrow(InvalidEventError);
    expect(await executions()).toHaveLength(3);
  });

  it("tries every due model and reports those it could not start", async () => {
    const undo = setTestEnv({
      RETRAINING_STATE_MACHINE_ARN: "arn:aws:states:eu-central-1:123456789012:stateMachine:missing",
    });
    try {
      // Five days on, eth-xgb's deployment is 7 days old (due); btc-lstm is in progress, sol.gbm fresh.
      await expect(handler(scheduledEvent(new Date(now.getTime() + 5 * DAY)))).rejects.toThrow(
        /^could not schedule retraining of eth-xgb \(State Machine Does Not Exist/,
      );
    } finally {
      undo();
    }
  });

  it("keeps execution names within Step Functions' rules", () => {
    expect(executionName("a/b c", "2026-01-01")).toBe("a-b-c-2026-01-01");
    expect(executionName("x".repeat(100), "2026-01-01")).toHaveLength(80);
  });
});
