/**
 * The platform dashboard's body, built from typed widgets so every metric names its namespace, metric and
 * dimensions explicitly (no `"..."` shorthand rows), and the result is valid CloudWatch dashboard JSON.
 */
import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";

/** The names the dashboard's metrics point at, resolved from the earlier layers' outputs. */
export interface DashboardResources {
  region: string;
  /** ECS cluster name. */
  cluster: string;
  /** ECS service names, keyed by the spec's service name. */
  services: Record<string, string>;
  alb: {
    /** `app/<name>/<id>`: the `LoadBalancer` dimension. */
    arnSuffix: string;
    /** Target group `targetgroup/<name>/<id>` suffixes by label: the `TargetGroup` dimension. */
    targetGroups: Record<string, string>;
  };
  /** Lambda function names keyed by Lambda name. */
  functions: Record<string, string>;
  /** Work queues and their dead-letter queues, keyed by label. */
  queues: Record<string, { name: string; dlqName: string }>;
  /** RDS instance identifier. */
  databaseInstanceId: string;
  api: { name: string; stage: string };
  /** WAF web ACL names. */
  webAcls: string[];
  /** Alarm ARNs shown in the status widget. @default [] */
  alarmArns?: string[];
}

/** A metric shown in a graph. */
export interface MetricLine {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat?: string;
  label?: string;
}

/** A metric math or search expression shown in a graph. */
export interface ExpressionLine {
  expression: string;
  label: string;
  id: string;
}

interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

type MetricRow =
  | (string | { stat?: string; label?: string })[]
  | [{ expression: string; label: string; id: string }];

export type Widget =
  | (Placed & { type: "text"; properties: { markdown: string } })
  | (Placed & {
      type: "metric";
      properties: {
        title: string;
        region: string;
        view: "timeSeries";
        stacked: boolean;
        period: number;
        stat: string;
        metrics: MetricRow[];
        yAxis?: { left: { min: number } };
      };
    })
  | (Placed & { type: "alarm"; properties: { title: string; alarms: string[] } });

export interface DashboardBody {
  widgets: Widget[];
}

function row(line: MetricLine | ExpressionLine): MetricRow {
  if ("expression" in line) return [{ expression: line.expression, label: line.label, id: line.id }];
  const dims = Object.entries(line.dimensions).flat();
  const options = {
    ...(line.stat ? { stat: line.stat } : {}),
    ...(line.label ? { label: line.label } : {}),
  };
  return [line.namespace, line.metricName, ...dims, ...(Object.keys(options).length > 0 ? [options] : [])];
}

/** A sorted view of a record, so the dashboard does not change when key order does. */
function sorted<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

const WIDTH = 12;
const HEIGHT = 6;

/** Lays widgets out two per row, full-width ones on their own row. */
class Layout {
  readonly widgets: Widget[] = [];
  private x = 0;
  private y = 0;

  constructor(private readonly region: string) {}

  text(markdown: string): void {
    this.newRow();
    this.widgets.push({ type: "text", x: 0, y: this.y, width: 24, height: 2, properties: { markdown } });
    this.y += 2;
  }

  graph(title: string, lines: (MetricLine | ExpressionLine)[], stat = "Average", period = 300): void {
    if (lines.length === 0) return;
    this.widgets.push({
      type: "metric",
      x: this.x,
      y: this.y,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title,
        region: this.region,
        view: "timeSeries",
        stacked: false,
        period,
        stat,
        metrics: lines.map(row),
        yAxis: { left: { min: 0 } },
      },
    });
    this.advance();
  }

  alarms(title: string, alarms: string[]): void {
    if (alarms.length === 0) return;
    this.newRow();
    // CloudWatch shows at most 100 alarms per alarm widget.
    for (let i = 0; i < alarms.length; i += 100) {
      this.widgets.push({
        type: "alarm",
        x: 0,
        y: this.y,
        width: 24,
        height: HEIGHT,
        properties: { title, alarms: alarms.slice(i, i + 100) },
      });
      this.y += HEIGHT;
    }
  }

  private advance(): void {
    this.x += WIDTH;
    if (this.x >= 24) this.newRow();
  }

  private newRow(): void {
    if (this.x > 0) this.y += HEIGHT;
    this.x = 0;
  }
}

/** The CloudWatch dashboard body for the platform, as an object (`JSON.stringify` it for the API). */
export function dashboardBody(r: DashboardResources): DashboardBody {
  const l = new Layout(r.region);
  const services = sorted(r.services);
  const functions = sorted(r.functions);
  const queues = sorted(r.queues);
  const ecs = (metricName: string) =>
    services.map(([key, name]) => ({
      namespace: "AWS/ECS",
      metricName,
      dimensions: { ClusterName: r.cluster, ServiceName: name },
      label: key,
    }));
  const lambda = (metricName: string, stat?: string) =>
    functions.map(([key, name]) => ({
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: name },
      label: key,
      ...(stat ? { stat } : {}),
    }));
  const alb = (metricName: string, label: string) => ({
    namespace: "AWS/ApplicationELB",
    metricName,
    dimensions: { LoadBalancer: r.alb.arnSuffix },
    label,
  });
  const api = (metricName: string, label: string, stat?: string) => ({
    namespace: "AWS/ApiGateway",
    metricName,
    dimensions: { ApiName: r.api.name, Stage: r.api.stage },
    label,
    ...(stat ? { stat } : {}),
  });
  const rds = (metricName: string) => ({
    namespace: "AWS/RDS",
    metricName,
    dimensions: { DBInstanceIdentifier: r.databaseInstanceId },
    label: r.databaseInstanceId,
  });
  const custom = (metricName: string) => ({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensions: {},
    label: metricName,
  });

  l.alarms("Alarms", r.alarmArns ?? []);

  l.text("## Entry: API Gateway, WAF and ALB");
  l.graph(
    "API requests and errors",
    [api("Count", "requests"), api("4XXError", "4xx"), api("5XXError", "5xx")],
    "Sum",
  );
  l.graph("API latency", [
    api("Latency", "latency p95", "p95"),
    api("IntegrationLatency", "integration p95", "p95"),
  ]);
  l.graph(
    "WAF blocked requests",
    r.webAcls.map((acl) => ({
      namespace: "AWS/WAFV2",
      metricName: "BlockedRequests",
      dimensions: { WebACL: acl, Region: r.region, Rule: "ALL" },
      label: acl,
    })),
    "Sum",
  );
  l.graph(
    "ALB 5xx and requests",
    [
      alb("HTTPCode_ELB_5XX_Count", "ELB 5xx"),
      alb("HTTPCode_Target_5XX_Count", "target 5xx"),
      alb("RequestCount", "requests"),
    ],
    "Sum",
  );
  l.graph(
    "ALB target response time (p95)",
    [
      alb("TargetResponseTime", "all targets"),
      ...sorted(r.alb.targetGroups).map(([label, suffix]) => ({
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: { LoadBalancer: r.alb.arnSuffix, TargetGroup: suffix },
        label,
      })),
    ],
    "p95",
  );

  l.text("## ECS services");
  l.graph("ECS CPU utilisation per service", ecs("CPUUtilization"));
  l.graph("ECS memory utilisation per service", ecs("MemoryUtilization"));

  l.text("## Lambda functions");
  l.graph("Lambda errors", lambda("Errors"), "Sum");
  l.graph("Lambda throttles", lambda("Throttles"), "Sum");
  l.graph("Lambda duration (p95)", lambda("Duration"), "p95");

  l.text("## Queues and database");
  l.graph(
    "SQS age of oldest message",
    queues.map(([label, q]) => ({
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: q.name },
      label,
    })),
    "Maximum",
  );
  l.graph(
    "Dead-letter queue depth",
    queues.map(([label, q]) => ({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: q.dlqName },
      label: `${label} DLQ`,
    })),
    "Maximum",
  );
  l.graph("RDS CPU utilisation", [rds("CPUUtilization")]);
  l.graph("RDS connections", [rds("DatabaseConnections")]);
  l.graph("RDS free storage (bytes)", [rds("FreeStorageSpace")], "Minimum");

  l.text("## Platform checks (namespace TradAI)");
  l.graph(
    "Model drift (max PSI per model)",
    [
      {
        expression: `SEARCH('{${METRICS_NAMESPACE},ModelName} MetricName="${PLATFORM_METRICS.driftScore}"', 'Maximum', 3600)`,
        // A CloudWatch dynamic label (not a template literal): one line per model, named after it.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch expands ${PROP(...)} itself.
        label: "${PROP('Dim.ModelName')}",
        id: "drift",
      },
    ],
    "Maximum",
    3600,
  );
  l.graph(
    "Stale heartbeats and unhealthy services",
    [custom(PLATFORM_METRICS.staleHeartbeats), custom(PLATFORM_METRICS.unhealthyServices)],
    "Maximum",
  );
  l.graph(
    "Stack drift and orphaned resources",
    [custom(PLATFORM_METRICS.stackDrift), custom(PLATFORM_METRICS.orphanedResources)],
    "Maximum",
    3600,
  );

  return { widgets: l.widgets };
}
