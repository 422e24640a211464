import { S3Client } from "@aws-sdk/client-s3";
import { s3Client, s3ClientConfig } from "@tradai/aws-clients/s3";
import { recordAs } from "@tradai/iam-recorder/testing";
import { createLogger } from "@tradai/service-common";
import { TEST_REGION, uniqueModelName, useMlflow, useMoto } from "@tradai/testing";
import { loadTrainingConfig } from "../src/config";
import { runStrategy } from "../src/engine/run";
import { MlflowClient } from "../src/modes/mlflow-client";
import { runTraining } from "../src/modes/training";
import { STRATEGIES } from "../src/strategies";
import { createBucket, writeDays } from "./market";

const MARKET = "tradai-test-market-data";
const log = createLogger("strategy-service-test", "silent");

async function api<T>(base: string, route: string): Promise<T> {
  const response = await fetch(`${base}/api/2.0/mlflow/${route}`);
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe("strategy-service MODE=training", () => {
  const moto = useMoto();
  const mlflow = useMlflow();
  let s3: S3Client;
  /** The task's own client (as main.ts builds it); `s3` sets up the fixtures. */
  let taskS3: S3Client;
  let candles: Awaited<ReturnType<typeof writeDays>>;

  beforeAll(async () => {
    expect(moto().url).toBeTruthy();
    s3 = new S3Client(s3ClientConfig({ region: TEST_REGION }));
    await createBucket(s3, MARKET);
    candles = await writeDays(s3, MARKET, "2024-06-01", 30);
    taskS3 = s3Client({ region: TEST_REGION });
  });

  const env = (modelName: string) => ({
    MODE: "training",
    MARKET_DATA_BUCKET: MARKET,
    MLFLOW_TRACKING_URI: mlflow().url,
    MODEL_NAME: modelName,
    JOB_ID: "retrain-2024-07-01",
    TRAINING_LOOKBACK_DAYS: "30",
  });

  it("grid-searches the parameters, logs the run and registers a candidate version", async () => {
    const modelName = uniqueModelName("sma");
    recordAs("ecs:training", env(modelName));
    const config = loadTrainingConfig(env(modelName));
    const outcome = await runTraining(config, {
      s3: taskS3,
      mlflow: new MlflowClient(config.MLFLOW_TRACKING_URI),
      log,
      now: () => new Date("2024-07-01T06:00:00Z"),
    });

    const alias = await api<{ model_version: { version: string; run_id: string } }>(
      mlflow().url,
      `registered-models/alias?name=${modelName}&alias=candidate`,
    );
    expect(alias.model_version).toMatchObject({ version: outcome.version, run_id: outcome.runId });

    const { run } = await api<{
      run: {
        info: { status: string };
        data: { params: { key: string; value: string }[]; metrics: { key: string; value: number }[] };
      };
    }>(mlflow().url, `runs/get?run_id=${outcome.runId}`);
    expect(run.info.status).toBe("FINISHED");
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({
      strategy: "sma-crossover",
      symbol: "BTC-USDT",
      fast: String(outcome.params.fast),
      slow: String(outcome.params.slow),
    });
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics.sharpe).toBeCloseTo(outcome.validation.sharpe, 6);
    expect(metrics.train_sharpe).toBeCloseTo(outcome.train.sharpe, 6);
    expect(metrics.candles).toBe(30 * 24);
    expect(metrics.grid_size).toBe(8);

    // The winner is the grid entry with the highest Sharpe on the first 70 % of the window.
    const train = candles.slice(0, Math.floor(candles.length * 0.7));
    const strategy = STRATEGIES.get("sma-crossover");
    if (!strategy) throw new Error("sma-crossover missing");
    const sharpes = strategy.grid().map((p) => runStrategy(strategy, p, train, "1h").metrics.sharpe);
    expect(outcome.train.sharpe).toBe(Math.max(...sharpes));
  });

  it("is deterministic, and re-training adds a new candidate version", async () => {
    const modelName = uniqueModelName("sma");
    recordAs("ecs:training", env(modelName));
    const config = loadTrainingConfig(env(modelName));
    const deps = {
      s3: taskS3,
      mlflow: new MlflowClient(config.MLFLOW_TRACKING_URI),
      log,
      now: () => new Date("2024-07-01T06:00:00Z"),
    };
    const first = await runTraining(config, deps);
    const second = await runTraining(config, deps);
    expect(second.params).toEqual(first.params);
    expect(second.train).toEqual(first.train);
    expect(Number(second.version)).toBe(Number(first.version) + 1);
    const alias = await api<{ model_version: { version: string } }>(
      mlflow().url,
      `registered-models/alias?name=${modelName}&alias=candidate`,
    );
    expect(alias.model_version.version).toBe(second.version);
  });

  it("fails without registering anything when the training window is not collected", async () => {
    const modelName = uniqueModelName("sma");
    recordAs("ecs:training", env(modelName));
    const config = loadTrainingConfig(env(modelName));
    await expect(
      runTraining(config, {
        s3: taskS3,
        mlflow: new MlflowClient(config.MLFLOW_TRACKING_URI),
        log,
        now: () => new Date("2024-08-15T00:00:00Z"),
      }),
    ).rejects.toThrow(/no market data/);
    const response = await fetch(`${mlflow().url}/api/2.0/mlflow/registered-models/get?name=${modelName}`);
    expect(response.status).toBe(404);
  });
});
