import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";
import { ModelRollbackAlarm } from "../src/compute/rollback-alarm";
import { capture, captureFailure, expectWellFormed, mockArn, mockPulumi } from "./harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

beforeAll(() => mockPulumi());

const args = {
  alarmName: "tradai-dev-rollback-ranker",
  modelName: "ranker",
  mode: "live" as const,
  maxDrawdown: 0.15,
  functionName: "tradai-dev-model-rollback",
  functionArn: "rollback-arn",
};

describe("ModelRollbackAlarm", () => {
  it("alarms on the model's live drawdown and lets only that alarm invoke model-rollback", async () => {
    const c = await capture((opts) => new ModelRollbackAlarm("rollback-ranker", args, opts));
    expectWellFormed(c, "tradai:compute:ModelRollbackAlarm", "rollback-ranker");
    expect(c.one(ALARM, "rollback-ranker").inputs).toMatchObject({
      name: "tradai-dev-rollback-ranker",
      namespace: METRICS_NAMESPACE,
      metricName: PLATFORM_METRICS.liveDrawdown,
      dimensions: { ModelName: "ranker", Mode: "live" },
      statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0.15,
      treatMissingData: "missing",
      alarmActions: ["rollback-arn"],
    });
    expect(c.one("aws:lambda/permission:Permission", "rollback-ranker").inputs).toEqual({
      action: "lambda:InvokeFunction",
      function: "tradai-dev-model-rollback",
      principal: "lambda.alarms.cloudwatch.amazonaws.com",
      sourceArn: mockArn(ALARM, "tradai-dev-rollback-ranker"),
    });
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN])("rejects maxDrawdown %p, creating nothing", async (maxDrawdown) => {
    const { error, registered } = await captureFailure(
      () => new ModelRollbackAlarm("bad", { ...args, maxDrawdown }),
    );
    expect(error.message).toBe(
      `ModelRollbackAlarm bad: maxDrawdown must be between 0 and 1, got ${maxDrawdown}`,
    );
    expect(registered).toEqual(["tradai:compute:ModelRollbackAlarm::bad"]);
  });
});
