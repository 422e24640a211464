import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";

/**
 * - `notBreaching`: no data means nothing happened (no invocations, an empty queue, no traffic).
 * - `breaching`: no data means the thing reporting is gone, which is itself the problem.
 * - `missing`: keep the current state; absence says nothing about the condition.
 */
export type TreatMissingData = "breaching" | "notBreaching" | "missing" | "ignore";

export interface AlarmSpec {
  /** Stable key: the alarm's logical and physical name suffix (lower-case, `-`). */
  key: string;
  description: string;
  comparison: "GreaterThanThreshold" | "LessThanThreshold";
  threshold: number;
  evaluationPeriods: number;
  /** Breaching datapoints out of `evaluationPeriods` that fire the alarm. @default evaluationPeriods */
  datapointsToAlarm?: number;
  treatMissingData: TreatMissingData;
  /** A single metric... */
  metric?: {
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    stat: string;
    period: number;
  };
  /** ...or metric math / a Metrics Insights query (exactly one query returns data). */
  queries?: aws.types.input.cloudwatch.MetricAlarmMetricQuery[];
}

/**
 * Throws when two specs share a key (their alarms would overwrite each other) or a spec has neither or
 * both of `metric` and `queries`.
 */
export function validateAlarmSpecs(specs: readonly AlarmSpec[], owner: string): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.key)) throw new Error(`${owner}: duplicate alarm key "${spec.key}"`);
    if ((spec.metric === undefined) === (spec.queries === undefined)) {
      throw new Error(`${owner}: alarm "${spec.key}" needs exactly one of metric or queries`);
    }
    seen.add(spec.key);
  }
}

export interface OperatorAlarmsArgs {
  /** Physical alarm names are `<namePrefix>-<spec key>`. */
  namePrefix: string;
  /** SNS topic notified when an alarm fires and when it recovers. */
  topicArn: pulumi.Input<string>;
  /** What to alarm on (the edge layer's alarm catalog). */
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
    super("tradai:edge:OperatorAlarms", name, {}, formerType("tradai:observability:OperatorAlarms", opts));
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
