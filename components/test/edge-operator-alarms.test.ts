import { type AlarmSpec, OperatorAlarms, validateAlarmSpecs } from "../src/edge/operator-alarms";
import { capture, expectWellFormed, mockArn, mockPulumi, resolve } from "./harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

beforeAll(() => mockPulumi());

const metricSpec: AlarmSpec = {
  key: "api-5xx",
  description: "API 5xx",
  comparison: "GreaterThanThreshold",
  threshold: 5,
  evaluationPeriods: 3,
  treatMissingData: "notBreaching",
  metric: {
    namespace: "AWS/ApiGateway",
    metricName: "5XXError",
    dimensions: { ApiId: "api-1" },
    stat: "Sum",
    period: 60,
  },
};
const querySpec: AlarmSpec = {
  key: "stale-heartbeats",
  description: "Stale heartbeats",
  comparison: "GreaterThanThreshold",
  threshold: 0,
  evaluationPeriods: 5,
  datapointsToAlarm: 2,
  treatMissingData: "breaching",
  queries: [
    { id: "q", expression: "SELECT MAX(StaleHeartbeats) FROM TradAI", period: 300, returnData: true },
  ],
};

describe("OperatorAlarms", () => {
  it("creates one alarm per spec, named from the prefix and key, notifying on ALARM and OK", async () => {
    const c = await capture(
      (opts) =>
        new OperatorAlarms(
          "alarms",
          { namePrefix: "tradai-dev-alarm", topicArn: "topic", specs: [metricSpec, querySpec] },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:edge:OperatorAlarms", "alarms");
    const metric = c.one(ALARM, "alarms-api-5xx").inputs;
    expect(metric).toEqual({
      name: "tradai-dev-alarm-api-5xx",
      alarmDescription: "API 5xx",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
      evaluationPeriods: 3,
      // Defaults to every evaluated period.
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      namespace: "AWS/ApiGateway",
      metricName: "5XXError",
      dimensions: { ApiId: "api-1" },
      statistic: "Sum",
      period: 60,
      alarmActions: ["topic"],
      okActions: ["topic"],
    });
    const query = c.one(ALARM, "alarms-stale-heartbeats").inputs;
    expect(query).toMatchObject({
      datapointsToAlarm: 2,
      treatMissingData: "breaching",
      metricQueries: querySpec.queries,
    });
    expect(query).not.toHaveProperty("metricName");
    expect(await resolve(c.component.names)).toEqual([
      "tradai-dev-alarm-api-5xx",
      "tradai-dev-alarm-stale-heartbeats",
    ]);
    expect(await resolve(c.component.arns)).toEqual([
      mockArn(ALARM, "tradai-dev-alarm-api-5xx"),
      mockArn(ALARM, "tradai-dev-alarm-stale-heartbeats"),
    ]);
  });

  it("refuses duplicate keys and specs with neither or both of metric and queries", () => {
    expect(() => validateAlarmSpecs([metricSpec, { ...querySpec, key: "api-5xx" }], "alarms")).toThrow(
      'alarms: duplicate alarm key "api-5xx"',
    );
    const { metric: _metric, ...neither } = metricSpec;
    expect(() => validateAlarmSpecs([neither], "alarms")).toThrow(
      'alarms: alarm "api-5xx" needs exactly one of metric or queries',
    );
    expect(() => validateAlarmSpecs([{ ...metricSpec, queries: querySpec.queries }], "alarms")).toThrow(
      "needs exactly one of metric or queries",
    );
    expect(
      () => new OperatorAlarms("dup", { namePrefix: "p", topicArn: "t", specs: [metricSpec, metricSpec] }),
    ).toThrow('dup: duplicate alarm key "api-5xx"');
  });
});
