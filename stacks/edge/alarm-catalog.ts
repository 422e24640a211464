/**
 * The alarms an operator must act on, as data: which metric, which threshold, and what missing data
 * means for each. {@link OperatorAlarms} turns them into CloudWatch alarms wired to the alerts topic.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "@tradai/components";
import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";

/** What the alarms watch, keyed by stable names known before the upstream outputs resolve. */
export interface AlarmTargets {
  /** Lambda function names by Lambda name. */
  functions: Record<string, pulumi.Input<string>>;
  /** Dead-letter queue names by queue label. */
  deadLetterQueues: Record<string, pulumi.Input<string>>;
  loadBalancerArnSuffix: pulumi.Input<string>;
  api: { name: pulumi.Input<string>; stage: pulumi.Input<string> };
  databaseInstanceId: pulumi.Input<string>;
  cluster: pulumi.Input<string>;
  /** ECS service names of the trading services, by service name. */
  tradingServices: Record<string, pulumi.Input<string>>;
}

/** Per-environment thresholds (see the edge config). */
export interface AlarmThresholds {
  alb5xxPercent: number;
  api5xxPercent: number;
  rdsCpuPercent: number;
  rdsFreeStorageGb: number;
  driftScoreThreshold: number;
}

/** `backtestJobs` -> `backtest-jobs`. */
export function kebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase();
}

/** Below this many requests in a period an error percentage says nothing, so the rate reads 0. */
const MIN_REQUESTS = 10;

const metric = (
  namespace: string,
  metricName: string,
  dimensions: Record<string, pulumi.Input<string>>,
  stat: string,
  period: number,
) => ({ namespace, metricName, dimensions, stat, period });

const query = (
  id: string,
  m: ReturnType<typeof metric>,
): aws.types.input.cloudwatch.MetricAlarmMetricQuery => ({
  id,
  returnData: false,
  metric: m,
});

/** Every alarm of the platform, in a stable order. */
export function platformAlarms(t: AlarmTargets, th: AlarmThresholds): AlarmSpec[] {
  const specs: AlarmSpec[] = [];

  for (const [label, dlq] of Object.entries(t.deadLetterQueues)) {
    specs.push({
      key: `dlq-${kebab(label)}`,
      description: `Messages in the ${label} dead-letter queue: they failed every retry and need a look.`,
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      // SQS stops reporting idle queues: silence means empty.
      treatMissingData: "notBreaching",
      metric: metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: dlq }, "Maximum", 300),
    });
  }

  for (const [fn, name] of Object.entries(t.functions)) {
    specs.push({
      key: `lambda-errors-${kebab(fn)}`,
      description: `Lambda ${fn} reported errors.`,
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      // No data: the function was not invoked.
      treatMissingData: "notBreaching",
      metric: metric("AWS/Lambda", "Errors", { FunctionName: name }, "Sum", 300),
    });
  }

  const alb = (id: string, metricName: string) =>
    query(
      id,
      metric("AWS/ApplicationELB", metricName, { LoadBalancer: t.loadBalancerArnSuffix }, "Sum", 300),
    );
  specs.push({
    key: "alb-5xx-rate",
    description: `More than ${th.alb5xxPercent}% of ALB requests answered 5xx (load balancer or targets).`,
    comparison: "GreaterThanThreshold",
    threshold: th.alb5xxPercent,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: "notBreaching",
    queries: [
      alb("elb", "HTTPCode_ELB_5XX_Count"),
      alb("target", "HTTPCode_Target_5XX_Count"),
      alb("requests", "RequestCount"),
      {
        id: "pct",
        label: "5xx % of requests",
        returnData: true,
        expression: `IF(requests >= ${MIN_REQUESTS}, 100 * (FILL(elb, 0) + FILL(target, 0)) / requests, 0)`,
      },
    ],
  });

  const api = (id: string, metricName: string) =>
    query(id, metric("AWS/ApiGateway", metricName, { ApiName: t.api.name, Stage: t.api.stage }, "Sum", 300));
  specs.push({
    key: "api-5xx-rate",
    description: `More than ${th.api5xxPercent}% of API requests answered 5xx.`,
    comparison: "GreaterThanThreshold",
    threshold: th.api5xxPercent,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: "notBreaching",
    queries: [
      api("errors", "5XXError"),
      api("requests", "Count"),
      {
        id: "pct",
        label: "5xx % of requests",
        returnData: true,
        expression: `IF(requests >= ${MIN_REQUESTS}, 100 * FILL(errors, 0) / requests, 0)`,
      },
    ],
  });

  const db = { DBInstanceIdentifier: t.databaseInstanceId };
  specs.push({
    key: "rds-cpu-high",
    description: `Database CPU above ${th.rdsCpuPercent}% for 15 minutes.`,
    comparison: "GreaterThanThreshold",
    threshold: th.rdsCpuPercent,
    evaluationPeriods: 3,
    // A gap in CPU data says nothing about CPU; the storage alarm covers a silent instance.
    treatMissingData: "missing",
    metric: metric("AWS/RDS", "CPUUtilization", db, "Average", 300),
  });
  specs.push({
    key: "rds-free-storage-low",
    description: `Database free storage below ${th.rdsFreeStorageGb} GiB.`,
    comparison: "LessThanThreshold",
    threshold: Math.round(th.rdsFreeStorageGb * 1024 ** 3),
    evaluationPeriods: 1,
    // RDS always reports storage: no data means the instance is not there.
    treatMissingData: "breaching",
    metric: metric("AWS/RDS", "FreeStorageSpace", db, "Minimum", 300),
  });

  for (const [svc, name] of Object.entries(t.tradingServices)) {
    const insights = (id: string, metricName: string) =>
      query(
        id,
        metric(
          "ECS/ContainerInsights",
          metricName,
          { ClusterName: t.cluster, ServiceName: name },
          "Average",
          60,
        ),
      );
    specs.push({
      key: `ecs-running-below-desired-${kebab(svc)}`,
      description: `${svc} has fewer running tasks than desired for 5 minutes.`,
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 5,
      // Container Insights reports every minute, even at 0 tasks: silence means the service is gone.
      treatMissingData: "breaching",
      queries: [
        insights("running", "RunningTaskCount"),
        insights("desired", "DesiredTaskCount"),
        {
          id: "shortfall",
          label: "tasks short of desired",
          returnData: true,
          expression: "desired - running",
        },
      ],
    });
  }

  specs.push({
    key: "stale-heartbeats",
    description: "A trading service stopped writing heartbeats (trading-heartbeat-check).",
    comparison: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    // The check runs on a schedule and always publishes: 15 minutes of silence means the watchdog is down.
    treatMissingData: "breaching",
    metric: metric(METRICS_NAMESPACE, PLATFORM_METRICS.staleHeartbeats, {}, "Maximum", 900),
  });
  specs.push({
    key: "drift-score",
    description: `A model's feature drift (max PSI) exceeds ${th.driftScoreThreshold} (drift-monitor).`,
    comparison: "GreaterThanThreshold",
    threshold: th.driftScoreThreshold,
    evaluationPeriods: 1,
    // drift-monitor publishes once per run; the hours between runs carry no data.
    treatMissingData: "notBreaching",
    queries: [
      {
        id: "drift",
        label: `max ${PLATFORM_METRICS.driftScore} over models`,
        returnData: true,
        // Metrics Insights covers every model without listing them here.
        expression: `SELECT MAX(${PLATFORM_METRICS.driftScore}) FROM SCHEMA("${METRICS_NAMESPACE}", ModelName)`,
        period: 3600,
      },
    ],
  });
  return specs;
}
