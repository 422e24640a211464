/**
 * model-rollback's automatic trigger, read from the plan and from both sides' code: the alarm watches the
 * metric strategy-service publishes (its constants), for the model and mode the plan gives the watched
 * trading task, invokes model-rollback (with a permission for CloudWatch alarms on that alarm only), and
 * the event such an alarm sends is one model-rollback turns into a rollback of that model.
 */
import type { ComputeOutputs, Environment } from "@tradai/contracts";
import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";
import { RollbackEvent, toRequest } from "@tradai/lambda-model-rollback/input";
import type { PlannedResource } from "@tradai/plan";
import { type PlanView, planLayers } from "@tradai/plan";

const LIVE_DRAWDOWN_METRIC = PLATFORM_METRICS.liveDrawdown;

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const PERMISSION = "aws:lambda/permission:Permission";

/** dev watches the dry-run service, prod the live one (staging is planned like dev). */
const ENVS = ["dev", "prod"] as const satisfies readonly Environment[];
const views: Partial<Record<Environment, PlanView>> = {};
beforeAll(async () => {
  for (const env of ENVS) views[env] = (await planLayers(env, "compute")).compute as PlanView;
}, 240_000);

function taskEnv(view: PlanView, service: string): Record<string, string> {
  const task = view
    .ofType("aws:ecs/taskDefinition:TaskDefinition")
    .find((t) => String(t.inputs.family).endsWith(`-${service}`));
  if (!task) throw new Error(`no task definition for ${service}`);
  const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as {
    environment: { name: string; value: string }[];
  }[];
  return Object.fromEntries((container?.environment ?? []).map((e) => [e.name, e.value]));
}

function rollbackAlarm(view: PlanView): PlannedResource {
  const alarms = view.ofType(ALARM).filter((a) => String(a.inputs.name).includes("-rollback-"));
  if (alarms.length !== 1) throw new Error(`expected one rollback alarm, found ${alarms.length}`);
  return alarms[0] as PlannedResource;
}

describe.each(ENVS)("%s: model-rollback is triggered by the traded model's live drawdown", (env) => {
  it("watches the metric strategy-service publishes, for the model its trading task runs", () => {
    const view = views[env] as PlanView;
    const alarm = rollbackAlarm(view);
    const mode = env === "prod" ? "live" : "dry-run";
    const trading = taskEnv(view, `${mode}-trading`);
    expect(alarm.inputs).toMatchObject({
      namespace: METRICS_NAMESPACE,
      metricName: LIVE_DRAWDOWN_METRIC,
      dimensions: { ModelName: trading.TRADING_MODEL_NAME, Mode: mode },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0.15,
    });
    expect(trading.TRADING_MODEL_NAME).toMatch(/\S/);
  });

  it("invokes model-rollback, which only this alarm may invoke through CloudWatch", () => {
    const view = views[env] as PlanView;
    const alarm = rollbackAlarm(view);
    const fn = (view.outputs as unknown as ComputeOutputs).functions["model-rollback"];
    expect(alarm.inputs.alarmActions).toEqual([fn?.arn]);
    const permission = view.ofType(PERMISSION).find((p) => p.parent === alarm.parent);
    expect(permission?.inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      function: fn?.name,
      principal: "lambda.alarms.cloudwatch.amazonaws.com",
    });
    expect(permission?.propertyDependencies.sourceArn).toContain(alarm.urn);
  });

  it("the event this alarm sends on entering ALARM rolls back its model", () => {
    const alarm = rollbackAlarm(views[env] as PlanView);
    const dimensions = alarm.inputs.dimensions as Record<string, string>;
    // The shape of a CloudWatch alarm's Lambda action event for a single-metric alarm.
    const event = {
      source: "aws.cloudwatch",
      alarmArn: `arn:aws:cloudwatch:eu-central-1:123456789012:alarm:${String(alarm.inputs.name)}`,
      accountId: "123456789012",
      time: "2026-01-01T00:00:00.000+0000",
      region: "eu-central-1",
      alarmData: {
        alarmName: alarm.inputs.name,
        state: { value: "ALARM", reason: "Threshold Crossed", timestamp: "2026-01-01T00:00:00.000+0000" },
        previousState: { value: "OK", timestamp: "2025-12-31T00:00:00.000+0000" },
        configuration: {
          description: alarm.inputs.alarmDescription,
          metrics: [
            {
              id: "m1",
              metricStat: {
                metric: {
                  namespace: alarm.inputs.namespace,
                  name: alarm.inputs.metricName,
                  dimensions,
                },
                period: alarm.inputs.period,
                stat: alarm.inputs.statistic,
              },
              returnData: true,
            },
          ],
        },
      },
    };
    const request = toRequest(RollbackEvent.parse(event), { awsRequestId: "r-1" } as Parameters<
      typeof toRequest
    >[1]);
    expect(request).toMatchObject({ kind: "rollback", modelName: dimensions.ModelName });
  });
});
