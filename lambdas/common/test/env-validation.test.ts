import { BacktestJobMessage, ConfigError, csvList, jsonString, requiredString } from "@tradai/contracts";
import * as z from "zod";
import { InvalidEventError, loadEnv, parseEvent, parseJsonEvent, resetEnvCache } from "../src/index";

describe("loadEnv", () => {
  const schema = z.object({
    JOBS_TABLE: requiredString(),
    TASK_SUBNETS: csvList(),
    RETRAINING_MODELS: jsonString(z.array(z.object({ modelName: z.string(), maxAgeDays: z.number() }))),
  });
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it("parses and caches the configuration", () => {
    process.env.JOBS_TABLE = "jobs";
    process.env.TASK_SUBNETS = "subnet-a, subnet-b";
    process.env.RETRAINING_MODELS = '[{"modelName":"m","maxAgeDays":7}]';
    const env = loadEnv(schema);
    expect(env).toEqual({
      JOBS_TABLE: "jobs",
      TASK_SUBNETS: ["subnet-a", "subnet-b"],
      RETRAINING_MODELS: [{ modelName: "m", maxAgeDays: 7 }],
    });
    process.env.JOBS_TABLE = "changed";
    expect(loadEnv(schema).JOBS_TABLE).toBe("jobs");
  });

  it("names every missing or malformed variable", () => {
    delete process.env.JOBS_TABLE;
    process.env.TASK_SUBNETS = " , ";
    process.env.RETRAINING_MODELS = "{not json";
    let error: unknown;
    try {
      loadEnv(schema);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/JOBS_TABLE: is required/);
    expect(message).toMatch(/TASK_SUBNETS: expected a comma-separated list/);
    expect(message).toMatch(/RETRAINING_MODELS: expected JSON/);
  });
});

describe("parseEvent", () => {
  it("returns the typed value or lists every failing path", () => {
    expect(() => parseEvent(BacktestJobMessage, { jobId: 1 }, "backtest job")).toThrow(InvalidEventError);
    try {
      parseEvent(BacktestJobMessage, { jobId: 1, exchange: "binance" }, "backtest job");
    } catch (e) {
      expect((e as InvalidEventError).errors.map((x) => x.path)).toEqual([
        "jobId",
        "strategyId",
        "symbol",
        "timeframe",
        "from",
        "to",
      ]);
      expect((e as Error).message).toMatch(/^invalid backtest job: jobId: /);
    }
    expect.assertions(3);
  });

  it("reports a body that is not JSON", () => {
    expect(() => parseJsonEvent(BacktestJobMessage, "{", "SQS message body")).toThrow(
      /invalid SQS message body: \(root\): not JSON/,
    );
  });
});
