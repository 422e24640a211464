import { InvalidEventError, MlflowClient, MlflowError, ModelDeploymentStore } from "@tradai/lambda-common";
import { lambdaContext, setTestEnv, useChampionMoverFixture } from "@tradai/lambda-common/testing";
import {
  seedModelVersion,
  TEST_ACCOUNT_ID,
  TEST_REGION,
  uniqueModelName,
  useMlflow,
  useMoto,
} from "@tradai/testing";
import { handler } from "../src/handler";
import { NoPreviousDeploymentError } from "../src/rollback";

const DEPLOYMENTS = "tradai-test-model-deployments";
const IDEMPOTENCY = "tradai-test-idempotency";

/** The event a CloudWatch alarm delivers to a Lambda alarm action (AWS documentation sample shape). */
function alarmEvent(modelName: string, state: "ALARM" | "OK", timestamp: string) {
  return {
    source: "aws.cloudwatch",
    alarmArn: `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT_ID}:alarm:tradai-test-${modelName}-drift`,
    accountId: TEST_ACCOUNT_ID,
    time: timestamp,
    region: TEST_REGION,
    alarmData: {
      alarmName: `tradai-test-${modelName}-drift`,
      state: {
        value: state,
        reason: "Threshold Crossed: 1 datapoint [0.41] was greater than 0.25",
        timestamp,
      },
      previousState: { value: state === "ALARM" ? "OK" : "ALARM", reason: "previous", timestamp },
      configuration: {
        description: "Model drift",
        metrics: [
          {
            id: "a1b2c3",
            metricStat: {
              metric: { namespace: "TradAI", name: "DriftScore", dimensions: { ModelName: modelName } },
              period: 300,
              stat: "Maximum",
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

describe("model-rollback", () => {
  useMoto();
  const mlflow = useMlflow();
  const scan = useChampionMoverFixture(() => mlflow().url, {
    deployments: DEPLOYMENTS,
    idempotency: IDEMPOTENCY,
  });
  const registry = () => new MlflowClient({ baseUrl: mlflow().url });
  const context = () => lambdaContext("model-rollback");
  const champion = async (modelName: string) =>
    (await registry().getModelVersionByAlias(modelName, "champion"))?.version;
  const recordsOf = async (modelName: string) =>
    (await scan(DEPLOYMENTS)).filter((i) => i.modelName === modelName);

  /** A model with `versions` versions, each promoted in turn (as promote-model records them). */
  async function promotedModel(versions: number): Promise<string> {
    const modelName = uniqueModelName("rollback");
    let clock = Date.parse("2026-05-01T00:00:00.000Z");
    const store = new ModelDeploymentStore({ tableName: DEPLOYMENTS, now: () => new Date(clock) });
    let previous: string | null = null;
    for (let i = 0; i < versions; i += 1) {
      const { version } = await seedModelVersion(mlflow().url, { modelName, aliases: ["champion"] });
      await store.record({
        modelName,
        version,
        previousVersion: previous,
        jobId: `train-${i}`,
        action: "promote",
      });
      previous = version;
      clock += 86_400_000;
    }
    return modelName;
  }

  it("restores the previous champion and records the rollback; a second rollback walks back further", async () => {
    const modelName = await promotedModel(3);
    expect(await champion(modelName)).toBe("3");

    const first = await handler({ modelName, jobId: "ops-1", reason: "bad fills" }, context());
    expect(first).toEqual({ modelName, version: "2", previousVersion: "3", jobId: "ops-1" });
    expect(await champion(modelName)).toBe("2");
    expect(await recordsOf(modelName)).toContainEqual(
      expect.objectContaining({ jobId: "ops-1", action: "rollback", version: "2", previousVersion: "3" }),
    );

    const second = await handler({ modelName, jobId: "ops-2" }, context());
    expect(second).toMatchObject({ version: "1", previousVersion: "2" });
    expect(await champion(modelName)).toBe("1");

    const refused = await handler({ modelName, jobId: "ops-3" }, context()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NoPreviousDeploymentError);
    expect((refused as Error).message).toBe(
      `cannot roll back ${modelName}: no previous deployment (only version 1 is on record; it has no predecessor)`,
    );
    expect(await champion(modelName)).toBe("1");
    expect(await recordsOf(modelName)).toHaveLength(5);
  });

  it("fails with the MLflow error and records nothing when the tracking server is unreachable", async () => {
    const modelName = await promotedModel(2);
    const before = await recordsOf(modelName);
    const undo = setTestEnv({ MLFLOW_TRACKING_URI: "http://127.0.0.1:1" });
    try {
      const error = await handler({ modelName }, context()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlflowError);
    } finally {
      undo();
    }
    expect(await recordsOf(modelName)).toEqual(before);
    expect(await champion(modelName)).toBe("2");
  });

  it("refuses a model that has never been deployed, writing nothing", async () => {
    const modelName = uniqueModelName("rollback");
    await seedModelVersion(mlflow().url, { modelName, aliases: ["champion"] });
    await expect(handler({ modelName }, context())).rejects.toThrow(
      `cannot roll back ${modelName}: no previous deployment (no deployment is recorded)`,
    );
    expect(await recordsOf(modelName)).toEqual([]);
    expect(await champion(modelName)).toBe("1");
  });

  it("rolls back once per alarm transition, however often the alarm action is delivered", async () => {
    const modelName = await promotedModel(2);
    const event = alarmEvent(modelName, "ALARM", "2026-05-03T10:00:00.000+0000");

    const result = await handler(event, context());
    expect(result).toEqual({
      modelName,
      version: "1",
      previousVersion: "2",
      jobId: `alarm:tradai-test-${modelName}-drift:2026-05-03T10:00:00.000+0000`,
    });
    expect(await handler(event, context())).toEqual(result);
    expect((await recordsOf(modelName)).filter((r) => r.action === "rollback")).toHaveLength(1);
    expect(await champion(modelName)).toBe("1");
  });

  it("ignores an alarm returning to OK", async () => {
    const modelName = await promotedModel(2);
    const result = await handler(alarmEvent(modelName, "OK", "2026-05-03T11:00:00.000+0000"), context());
    expect(result).toEqual({
      skipped: true,
      reason: `alarm tradai-test-${modelName}-drift is OK, not ALARM`,
    });
    expect(await champion(modelName)).toBe("2");
    expect(await recordsOf(modelName)).toHaveLength(2);
  });

  it("rejects an event that is neither a manual request nor an alarm", async () => {
    await expect(handler({ model: "x" }, context())).rejects.toThrow(InvalidEventError);
    await expect(handler({ modelName: "not a model!" }, context())).rejects.toThrow(/model-rollback event/);
  });
});
