import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";

/** The metric model-rollback's alarm watches: what the trading services publish (strategy-service). */
export const MODEL_LIVE_METRIC = {
  namespace: METRICS_NAMESPACE,
  metricName: PLATFORM_METRICS.liveDrawdown,
} as const;

export interface ModelRollbackAlarmArgs {
  /** Physical alarm name. */
  alarmName: string;
  /** The registered model whose live performance is watched (the metric's `ModelName`). */
  modelName: string;
  /** Which trading service's run is watched: `live` where live trading runs, else `dry-run`. */
  mode: "dry-run" | "live";
  /** Drawdown (fraction of the peak, 0..1) above which the model is rolled back. */
  maxDrawdown: number;
  /** The model-rollback function. */
  functionName: pulumi.Input<string>;
  functionArn: pulumi.Input<string>;
}

/**
 * The automatic trigger of model-rollback: a CloudWatch alarm on the promoted model's live drawdown whose
 * action invokes the function (CloudWatch alarm Lambda actions), and the permission that lets the alarm
 * (and only it) invoke it. model-rollback reads the model from the alarm's `ModelName` dimension and acts
 * on the transition into ALARM once. Manual invocation stays available.
 *
 * @example
 * new ModelRollbackAlarm("rollback-strategy-ranker", { alarmName, modelName: "strategy-ranker", mode: "live",
 *   maxDrawdown: 0.15, functionName: fn.name, functionArn: fn.arn }, ctx.opts);
 */
export class ModelRollbackAlarm extends pulumi.ComponentResource {
  readonly alarm: aws.cloudwatch.MetricAlarm;
  readonly permission: aws.lambda.Permission;

  constructor(name: string, args: ModelRollbackAlarmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:ModelRollbackAlarm", name, {}, opts);
    if (!(args.maxDrawdown > 0 && args.maxDrawdown < 1)) {
      throw new Error(
        `ModelRollbackAlarm ${name}: maxDrawdown must be between 0 and 1, got ${args.maxDrawdown}`,
      );
    }
    const child = { parent: this };
    this.alarm = new aws.cloudwatch.MetricAlarm(
      name,
      {
        name: args.alarmName,
        alarmDescription:
          `Live drawdown of ${args.modelName} (${args.mode}) above ${args.maxDrawdown * 100}%: ` +
          "model-rollback restores the previous champion.",
        namespace: MODEL_LIVE_METRIC.namespace,
        metricName: MODEL_LIVE_METRIC.metricName,
        dimensions: { ModelName: args.modelName, Mode: args.mode },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: "GreaterThanThreshold",
        threshold: args.maxDrawdown,
        // No data: the service is not trading (the heartbeat alarms cover that); keep the state.
        treatMissingData: "missing",
        alarmActions: [args.functionArn],
      },
      child,
    );
    this.permission = new aws.lambda.Permission(
      name,
      {
        action: "lambda:InvokeFunction",
        function: args.functionName,
        principal: "lambda.alarms.cloudwatch.amazonaws.com",
        sourceArn: this.alarm.arn,
      },
      child,
    );
    this.registerOutputs({ alarmArn: this.alarm.arn });
  }
}
