import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { InvalidEventError, MlflowError } from "@tradai/lambda-common";
import { lambdaContext, setTestEnv } from "@tradai/lambda-common/testing";
import { seedModelVersion, uniqueModelName, useMlflow, useMoto } from "@tradai/testing";
import { createHandler, handler } from "../src/handler";

const DAY_MS = 86_400_000;

describe("check-retraining-needed", () => {
  useMoto();
  const mlflow = useMlflow();
  const models: string[] = [];
  let restore: () => void = () => {};

  /** Registers a model name in RETRAINING_MODELS (30 days, sharpe floor 1.0, drawdown ceiling 0.3). */
  function configure(): void {
    restore();
    restore = setTestEnv({
      MLFLOW_TRACKING_URI: mlflow().url,
      DRIFT_THRESHOLD: "0.2",
      RETRAINING_MODELS: JSON.stringify(
        models.map((modelName) => ({
          modelName,
          maxAgeDays: 30,
          performance: [
            { metric: "sharpe", threshold: 1.0 },
            { metric: "max_drawdown", threshold: 0.3, direction: "lower" },
          ],
        })),
      ),
    });
  }
  function newModel(): string {
    const name = uniqueModelName("retrain");
    models.push(name);
    configure();
    return name;
  }
  afterAll(() => restore());

  const input = (modelName: string, trigger = "schedule") => ({
    jobId: `job-${modelName}`,
    modelName,
    trigger,
  });

  async function putDrift(modelName: string, value: number, at: Date): Promise<void> {
    const cw = new CloudWatchClient({});
    try {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: "TradAI",
          MetricData: [
            {
              MetricName: "DriftScore",
              Value: value,
              Timestamp: at,
              Dimensions: [{ Name: "ModelName", Value: modelName }],
            },
          ],
        }),
      );
    } finally {
      cw.destroy();
    }
  }

  it("retrains a model that has no champion", async () => {
    const name = newModel();
    await seedModelVersion(mlflow().url, { modelName: name, aliases: ["candidate"] });
    const result = await handler(input(name), lambdaContext("check-retraining-needed"));
    expect(result).toEqual({ retrain: true, reasons: [`model ${name} has no champion version`] });
  });

  it("keeps a young, well-performing, undrifted champion and says why", async () => {
    const name = newModel();
    await seedModelVersion(mlflow().url, {
      modelName: name,
      metrics: { sharpe: 1.4, max_drawdown: 0.1 },
      aliases: ["champion"],
    });
    await putDrift(name, 0.05, new Date(Date.now() - 60_000));
    const result = await handler(input(name));
    expect(result.retrain).toBe(false);
    expect(result.reasons).toHaveLength(4);
    expect(result.reasons[0]).toMatch(/^champion version 1 is 0\.0 days old \(max 30\)$/);
    expect(result.reasons[1]).toBe("champion sharpe 1.4 meets the floor 1");
    expect(result.reasons[2]).toBe("champion max_drawdown 0.1 meets the ceiling 0.3");
    expect(result.reasons[3]).toMatch(/^drift score 0\.05 at .* \(threshold 0\.2\)$/);
  });

  it("retrains a champion older than maxAgeDays", async () => {
    const name = newModel();
    await seedModelVersion(mlflow().url, {
      modelName: name,
      metrics: { sharpe: 2, max_drawdown: 0.1 },
      aliases: ["champion"],
    });
    const thirtyOneDaysLater = new Date(Date.now() + 31 * DAY_MS);
    const result = await createHandler({ now: () => thirtyOneDaysLater })(input(name));
    expect(result.retrain).toBe(true);
    expect(result.reasons).toEqual([
      expect.stringMatching(/^champion version 1 is 31\.0 days old \(max 30\)$/),
    ]);
  });

  it("retrains on the newest drift score above the threshold, ignoring older calm readings", async () => {
    const name = newModel();
    await seedModelVersion(mlflow().url, {
      modelName: name,
      metrics: { sharpe: 2, max_drawdown: 0.1 },
      aliases: ["champion"],
    });
    await putDrift(name, 0.01, new Date(Date.now() - 3 * 3_600_000));
    await putDrift(name, 0.35, new Date(Date.now() - 10 * 60_000));
    const result = await handler(input(name));
    expect(result).toEqual({
      retrain: true,
      reasons: [expect.stringMatching(/^drift score 0\.35 at .* \(threshold 0\.2\)$/)],
    });
  });

  it("retrains when the champion's run metrics breach their floors", async () => {
    const name = newModel();
    await seedModelVersion(mlflow().url, {
      modelName: name,
      metrics: { sharpe: 0.6, max_drawdown: 0.45 },
      aliases: ["champion"],
    });
    const result = await handler(input(name));
    expect(result).toEqual({
      retrain: true,
      reasons: [
        "champion sharpe 0.6 breaches the floor 1",
        "champion max_drawdown 0.45 breaches the ceiling 0.3",
      ],
    });
  });

  it("retrains on a manual start even when every check passes", async () => {
    const name = newModel();
    await seedModelVersion(mlflow().url, {
      modelName: name,
      metrics: { sharpe: 2, max_drawdown: 0.1 },
      aliases: ["champion"],
    });
    const result = await handler(input(name, "manual"));
    expect(result).toEqual({ retrain: true, reasons: ["retraining was requested manually"] });
  });

  it("rejects a bad execution input and an unconfigured model", async () => {
    newModel();
    await expect(handler({ modelName: "x", trigger: "sometimes" })).rejects.toThrow(InvalidEventError);
    await expect(handler({ modelName: "x", trigger: "sometimes" })).rejects.toThrow(
      /invalid retraining execution input: jobId: .*; trigger: /,
    );
    await expect(handler(input("not-configured"))).rejects.toThrow(
      /model not-configured is not configured in RETRAINING_MODELS/,
    );
  });

  it("fails with a clear MLflow error when the tracking server is unreachable", async () => {
    const name = newModel();
    restore();
    restore = setTestEnv({
      MLFLOW_TRACKING_URI: "http://127.0.0.1:1",
      DRIFT_THRESHOLD: "0.2",
      RETRAINING_MODELS: JSON.stringify([{ modelName: name, maxAgeDays: 30 }]),
    });
    const error = await handler(input(name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect((error as MlflowError).status).toBe(0);
  });
});
