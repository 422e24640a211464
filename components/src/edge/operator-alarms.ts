import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmSpec, validateAlarmSpecs } from "./alarm-catalog";

export interface OperatorAlarmsArgs {
  /** Physical alarm names are `<namePrefix>-<spec key>`. */
  namePrefix: string;
  /** SNS topic notified when an alarm fires and when it recovers. */
  topicArn: pulumi.Input<string>;
  /** What to alarm on (see `platformAlarms`). */
  specs: AlarmSpec[];
}

/**
 * One CloudWatch alarm per spec, each notifying the alerts topic on ALARM and on OK (so an operator sees
 * both the page and the recovery). Refuses duplicate keys, which would silently overwrite each other.
 *
 * @example
 * new OperatorAlarms("alarms", { namePrefix: ctx.name("alarm"), topicArn: alerts.arn, specs }, ctx.opts);
 */
export class OperatorAlarms extends pulumi.ComponentResource {
  readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
  /** Alarm names in spec order. */
  readonly names: pulumi.Output<string[]>;
  readonly arns: pulumi.Output<string[]>;

  constructor(name: string, args: OperatorAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:observability:OperatorAlarms", name, {}, opts);
    validateAlarmSpecs(args.specs, name);
    this.alarms = Object.fromEntries(
      args.specs.map((spec) => [
        spec.key,
        new aws.cloudwatch.MetricAlarm(
          `${name}-${spec.key}`,
          {
            name: `${args.namePrefix}-${spec.key}`,
            alarmDescription: spec.description,
            comparisonOperator: spec.comparison,
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
            treatMissingData: spec.treatMissingData,
            ...(spec.metric
              ? {
                  namespace: spec.metric.namespace,
                  metricName: spec.metric.metricName,
                  dimensions: spec.metric.dimensions,
                  statistic: spec.metric.stat,
                  period: spec.metric.period,
                }
              : { metricQueries: spec.queries }),
            alarmActions: [args.topicArn],
            okActions: [args.topicArn],
          },
          { parent: this },
        ),
      ]),
    );
    const all = Object.values(this.alarms);
    this.names = pulumi.all(all.map((a) => a.name));
    this.arns = pulumi.all(all.map((a) => a.arn));
    this.registerOutputs({ names: this.names });
  }
}
