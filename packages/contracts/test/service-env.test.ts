import {
  ConfigError,
  ECS_SERVICE_NAMES,
  OrphanScannerEnv,
  parseEnv,
  SERVICE_ENV,
  STRATEGY_SERVICE_ENV,
  StrategyMode,
  TASK_LAUNCH_VARIABLES,
  UpdateNatRoutesEnv,
} from "../src";
import { SAMPLE_JOB_ID, sampleBacktestJob } from "../src/fixtures";

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.key);
    throw error;
  }
  return [];
};

describe("SERVICE_ENV", () => {
  it("has a schema for every ECS service and for the backtest and training tasks, and nothing else", () => {
    expect(Object.keys(SERVICE_ENV).sort()).toEqual([...ECS_SERVICE_NAMES, "backtest", "training"].sort());
  });

  it("gives strategy-service's tasks the schema of their MODE", () => {
    expect(SERVICE_ENV["strategy-service"]).toBe(STRATEGY_SERVICE_ENV.api);
    expect(SERVICE_ENV["dry-run-trading"]).toBe(STRATEGY_SERVICE_ENV["dry-run"]);
    expect(SERVICE_ENV["live-trading"]).toBe(STRATEGY_SERVICE_ENV.live);
    expect(SERVICE_ENV.backtest).toBe(STRATEGY_SERVICE_ENV.backtest);
    expect(SERVICE_ENV.training).toBe(STRATEGY_SERVICE_ENV.training);
    expect(Object.keys(STRATEGY_SERVICE_ENV).sort()).toEqual([...StrategyMode.options].sort());
  });

  it("names as launch variables only variables of the task's schema, MODE included", () => {
    for (const [task, variables] of Object.entries(TASK_LAUNCH_VARIABLES)) {
      const shape = SERVICE_ENV[task as keyof typeof TASK_LAUNCH_VARIABLES].shape;
      expect({ task, unknown: variables.filter((v) => !(v in shape)) }).toEqual({ task, unknown: [] });
      expect(variables).toContain("MODE");
    }
  });
});

describe("strategy-service mode schemas", () => {
  const jobId = SAMPLE_JOB_ID;
  const request = sampleBacktestJob(jobId);
  const backtest = {
    MODE: "backtest",
    MARKET_DATA_BUCKET: "market-data",
    ARTIFACTS_BUCKET: "artifacts",
    BACKTEST_RESULTS_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/1/results",
  };

  it("parses a backtest task's definition plus its launcher's variables", () => {
    const env = { ...backtest, JOB_ID: jobId, JOB_REQUEST: JSON.stringify(request) };
    expect(parseEnv(STRATEGY_SERVICE_ENV.backtest, env).JOB_REQUEST.strategyId).toBe("sma-crossover");
  });

  it("refuses a backtest whose request is for another job, or is not JSON, naming JOB_REQUEST", () => {
    const other = { ...request, jobId: "00000000-0000-4000-8000-000000000002" };
    const env = { ...backtest, JOB_ID: jobId };
    expect(
      problemsOf(() =>
        parseEnv(STRATEGY_SERVICE_ENV.backtest, { ...env, JOB_REQUEST: JSON.stringify(other) }),
      ),
    ).toEqual(["JOB_REQUEST"]);
    expect(problemsOf(() => parseEnv(STRATEGY_SERVICE_ENV.backtest, { ...env, JOB_REQUEST: "{" }))).toEqual([
      "JOB_REQUEST",
    ]);
  });

  it("refuses a trading lease no longer than the heartbeat interval", () => {
    const env = {
      MODE: "dry-run",
      MARKET_DATA_BUCKET: "market-data",
      HEARTBEATS_TABLE: "heartbeats",
      LEASES_TABLE: "leases",
      HEARTBEAT_INTERVAL_SECONDS: "30",
    };
    expect(parseEnv(STRATEGY_SERVICE_ENV["dry-run"], { ...env, LEASE_SECONDS: "90" }).LEASE_SECONDS).toBe(90);
    expect(
      problemsOf(() => parseEnv(STRATEGY_SERVICE_ENV["dry-run"], { ...env, LEASE_SECONDS: "30" })),
    ).toEqual(["LEASE_SECONDS"]);
  });

  it("refuses a MODE other than the schema's", () => {
    expect(
      problemsOf(() => parseEnv(STRATEGY_SERVICE_ENV.backtest, { ...backtest, MODE: "training" })),
    ).toEqual(expect.arrayContaining(["MODE"]));
  });
});

describe("environment fields moved into contracts", () => {
  it("parses orphan-scanner's state backend URL into bucket and prefix, and names a bad one", () => {
    const env = { ALERTS_TOPIC_ARN: "arn:aws:sns:eu-central-1:1:alerts" };
    expect(
      parseEnv(OrphanScannerEnv, { ...env, PULUMI_BACKEND_URL: "s3://state/infra/?region=eu-central-1" })
        .PULUMI_BACKEND_URL,
    ).toEqual({ bucket: "state", prefix: "infra" });
    expect(
      problemsOf(() => parseEnv(OrphanScannerEnv, { ...env, PULUMI_BACKEND_URL: "file:///state" })),
    ).toEqual(["PULUMI_BACKEND_URL"]);
  });

  it("parses update-nat-routes' route tables (deduplication is the function's) and refuses other ids", () => {
    expect(UpdateNatRoutesEnv.parse({ ROUTE_TABLE_IDS: "rtb-1a, rtb-2b,", NAT_ASG_NAME: "nat" })).toEqual({
      ROUTE_TABLE_IDS: ["rtb-1a", "rtb-2b"],
      NAT_ASG_NAME: "nat",
    });
    expect(UpdateNatRoutesEnv.safeParse({ ROUTE_TABLE_IDS: "subnet-1", NAT_ASG_NAME: "nat" }).success).toBe(
      false,
    );
  });
});
