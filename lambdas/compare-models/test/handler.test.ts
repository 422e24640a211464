import { InvalidEventError, MlflowError } from "@tradai/lambda-common";
import { lambdaContext, setTestEnv } from "@tradai/lambda-common/testing";
import { seedModelVersion, uniqueModelName, useMlflow } from "@tradai/testing";
import { CandidateError } from "../src/compare";
import { handler } from "../src/handler";

describe("compare-models against a real MLflow server", () => {
  const mlflow = useMlflow();
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = setTestEnv({
      MLFLOW_TRACKING_URI: mlflow().url,
      COMPARE_METRIC: "sharpe",
      COMPARE_DIRECTION: undefined,
      MIN_IMPROVEMENT: "0.1",
    });
  });
  afterAll(() => restore());

  /** A model with a champion and a candidate whose runs logged `champion` / `candidate` metrics. */
  async function pair(champion: Record<string, number>, candidate: Record<string, number>): Promise<string> {
    const modelName = uniqueModelName("compare");
    await seedModelVersion(mlflow().url, { modelName, metrics: champion, aliases: ["champion"] });
    await seedModelVersion(mlflow().url, { modelName, metrics: candidate, aliases: ["candidate"] });
    return modelName;
  }

  it("promotes a candidate that beats the champion by at least the minimum", async () => {
    const modelName = await pair({ sharpe: 1.2 }, { sharpe: 1.5 });
    const result = await handler({ modelName }, lambdaContext("compare-models"));
    expect(result).toEqual({
      promote: true,
      candidateVersion: "2",
      championVersion: "1",
      reasons: [
        "sharpe: candidate v2 1.5 vs champion v1 1.2 (higher is better), improvement 0.3",
        "meets the minimum improvement 0.1",
      ],
    });
  });

  it("does not promote a worse candidate, nor one better by less than the minimum", async () => {
    const worse = await handler({ modelName: await pair({ sharpe: 1.2 }, { sharpe: 1.0 }) });
    expect(worse).toMatchObject({ promote: false, candidateVersion: "2", championVersion: "1" });
    expect(worse.reasons[1]).toBe("candidate is not better");

    const slightly = await pair({ sharpe: 1.2 }, { sharpe: 1.25 });
    const result = await handler({ modelName: slightly });
    expect(result.promote).toBe(false);
    expect(result.reasons[1]).toBe("below the minimum improvement 0.1");
    // The input may override the environment's settings.
    expect((await handler({ modelName: slightly, minImprovement: 0.01 })).promote).toBe(true);
  });

  it("compares on another metric where lower is better when the input says so", async () => {
    const modelName = await pair({ sharpe: 2, max_drawdown: 0.3 }, { sharpe: 1, max_drawdown: 0.1 });
    const result = await handler({ modelName, metric: "max_drawdown", direction: "lower" });
    expect(result.promote).toBe(true);
    expect(result.reasons[0]).toBe(
      "max_drawdown: candidate v2 0.1 vs champion v1 0.3 (lower is better), improvement 0.2",
    );
  });

  it("promotes the first candidate of a model without champion", async () => {
    const modelName = uniqueModelName("compare");
    await seedModelVersion(mlflow().url, { modelName, metrics: { sharpe: 0.4 }, aliases: ["candidate"] });
    expect(await handler({ modelName })).toEqual({
      promote: true,
      candidateVersion: "1",
      championVersion: null,
      reasons: ["no champion yet: candidate version 1 becomes the first"],
    });
  });

  it("does not promote when the champion has no value for the metric", async () => {
    const modelName = await pair({ accuracy: 0.9 }, { sharpe: 1.5 });
    const result = await handler({ modelName });
    expect(result).toMatchObject({ promote: false, championVersion: "1", candidateVersion: "2" });
    expect(result.reasons[0]).toMatch(/champion version 1 has no metric sharpe/);
  });

  it("fails clearly when there is no candidate or it lacks the metric", async () => {
    const noCandidate = uniqueModelName("compare");
    await seedModelVersion(mlflow().url, {
      modelName: noCandidate,
      metrics: { sharpe: 1 },
      aliases: ["champion"],
    });
    const error = await handler({ modelName: noCandidate }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CandidateError);
    expect((error as Error).message).toBe(
      `model ${noCandidate} has no candidate version: training must register one before compare-models`,
    );
    await expect(handler({ modelName: uniqueModelName("never-registered") })).rejects.toThrow(CandidateError);

    const noMetric = await pair({ sharpe: 1 }, { accuracy: 0.7 });
    await expect(handler({ modelName: noMetric })).rejects.toThrow(
      /candidate version 2 of .* has no metric sharpe on its training run/,
    );
  });

  it("fails with a clear MLflow error when the tracking server is unreachable", async () => {
    const undo = setTestEnv({ MLFLOW_TRACKING_URI: "http://127.0.0.1:1" });
    try {
      const error = await handler({ modelName: uniqueModelName("compare") }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlflowError);
      expect((error as MlflowError).status).toBe(0);
    } finally {
      undo();
    }
  });

  it("rejects a bad input before calling MLflow", async () => {
    await expect(handler({ modelName: "bad name!" })).rejects.toThrow(InvalidEventError);
    await expect(handler({ modelName: "m", direction: "sideways" })).rejects.toThrow(/direction/);
  });
});
