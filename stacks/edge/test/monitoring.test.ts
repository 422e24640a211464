import { validateAlarmSpecs } from "@tradai/components";
import { type AlarmTargets, kebab, platformAlarms } from "../alarm-catalog";
import { type DashboardResources, dashboardBody } from "../dashboard-body";

const resources: DashboardResources = {
  region: "eu-central-1",
  cluster: "tradai-dev-cluster",
  services: { "live-trading": "tradai-dev-live-trading", "backend-api": "tradai-dev-backend-api" },
  alb: {
    arnSuffix: "app/tradai-dev-alb/0123",
    targetGroups: { backendApi: "targetgroup/tradai-dev-backend/4567" },
  },
  functions: { "update-status": "tradai-dev-update-status", "drift-monitor": "tradai-dev-drift-monitor" },
  queues: { backtestJobs: { name: "tradai-dev-backtest-jobs", dlqName: "tradai-dev-backtest-jobs-dlq" } },
  databaseInstanceId: "tradai-dev-mlflow",
  api: { name: "tradai-dev-api", stage: "dev" },
  webAcls: ["tradai-dev-api", "tradai-dev-alb-origin"],
};

const targets: AlarmTargets = {
  functions: { "update-status": "tradai-dev-update-status", "drift-monitor": "tradai-dev-drift-monitor" },
  deadLetterQueues: {
    backtestJobs: "tradai-dev-backtest-jobs-dlq",
    backtestResults: "tradai-dev-backtest-results-dlq",
  },
  loadBalancerArnSuffix: "app/tradai-dev-alb/0123",
  api: { name: "tradai-dev-api", stage: "dev" },
  databaseInstanceId: "tradai-dev-mlflow",
  cluster: "tradai-dev-cluster",
  tradingServices: { "live-trading": "tradai-dev-live-trading" },
};
const thresholds = {
  alb5xxPercent: 5,
  api5xxPercent: 2,
  rdsCpuPercent: 85,
  rdsFreeStorageGb: 1.5,
  driftScoreThreshold: 0.3,
};

describe("dashboardBody", () => {
  it("lays widgets on the 24-column grid without overlaps", () => {
    const { widgets } = dashboardBody({
      ...resources,
      alarmArns: ["arn:aws:cloudwatch:eu-central-1:1:alarm:a"],
    });
    const cells = new Set<string>();
    for (const w of widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
    expect(widgets[0]).toMatchObject({
      type: "alarm",
      properties: { alarms: ["arn:aws:cloudwatch:eu-central-1:1:alarm:a"] },
    });
  });

  it("writes explicit metric rows: namespace, name, dimension pairs, then options", () => {
    const { widgets } = dashboardBody(resources);
    const rows = widgets.flatMap((w) => (w.type === "metric" ? w.properties.metrics : []));
    expect(rows).toContainEqual([
      "AWS/ECS",
      "CPUUtilization",
      "ClusterName",
      "tradai-dev-cluster",
      "ServiceName",
      "tradai-dev-backend-api",
      { label: "backend-api" },
    ]);
    expect(rows).toContainEqual([
      "AWS/Lambda",
      "Duration",
      "FunctionName",
      "tradai-dev-update-status",
      { label: "update-status" },
    ]);
    expect(rows).toContainEqual([
      "AWS/ApplicationELB",
      "TargetResponseTime",
      "LoadBalancer",
      "app/tradai-dev-alb/0123",
      "TargetGroup",
      "targetgroup/tradai-dev-backend/4567",
      { label: "backendApi" },
    ]);
    expect(rows.some((r) => (r as unknown[]).includes("..."))).toBe(false);
  });

  it("does not change when the upstream key order does", () => {
    const reversed = {
      ...resources,
      functions: Object.fromEntries(Object.entries(resources.functions).reverse()),
      services: Object.fromEntries(Object.entries(resources.services).reverse()),
    };
    expect(JSON.stringify(dashboardBody(reversed))).toBe(JSON.stringify(dashboardBody(resources)));
  });

  it("leaves out graphs with nothing to chart and keeps alarm widgets within 100 alarms", () => {
    const alarmArns = Array.from({ length: 150 }, (_, i) => `arn:aws:cloudwatch:eu-central-1:1:alarm:a${i}`);
    const { widgets } = dashboardBody({ ...resources, functions: {}, alarmArns });
    const titles = widgets.flatMap((w) => (w.type === "metric" ? [w.properties.title] : []));
    expect(titles.some((t) => t.startsWith("Lambda"))).toBe(false);
    const alarmWidgets = widgets.filter((w) => w.type === "alarm");
    expect(alarmWidgets.map((w) => (w.type === "alarm" ? w.properties.alarms.length : 0))).toEqual([100, 50]);
  });
});

describe("platformAlarms", () => {
  const specs = platformAlarms(targets, thresholds);
  const byKey = new Map(specs.map((s) => [s.key, s]));

  it("has unique keys and one DLQ, error and running-task alarm per target", () => {
    expect(new Set(specs.map((s) => s.key)).size).toBe(specs.length);
    expect([...byKey.keys()]).toEqual(
      expect.arrayContaining([
        "dlq-backtest-jobs",
        "dlq-backtest-results",
        "lambda-errors-update-status",
        "lambda-errors-drift-monitor",
        "ecs-running-below-desired-live-trading",
      ]),
    );
    expect(specs.filter((s) => s.key.startsWith("ecs-running"))).toHaveLength(1);
  });

  it("defines each alarm by exactly one of a metric or metric queries, one of which returns data", () => {
    for (const spec of specs) {
      expect(spec.metric === undefined).toBe(spec.queries !== undefined);
      if (spec.queries) expect(spec.queries.filter((q) => q.returnData)).toHaveLength(1);
    }
  });

  it("passes its own validation, which refuses duplicate keys and ambiguous definitions", () => {
    expect(() => validateAlarmSpecs(specs, "alarms")).not.toThrow();
    const [first] = specs;
    if (!first) throw new Error("no specs");
    expect(() => validateAlarmSpecs([first, first], "alarms")).toThrow(
      `alarms: duplicate alarm key "${first.key}"`,
    );
    const { metric: _metric, queries: _queries, ...neither } = first;
    expect(() => validateAlarmSpecs([neither], "alarms")).toThrow(
      `alarms: alarm "${first.key}" needs exactly one of metric or queries`,
    );
  });

  it("applies the thresholds, converting GiB to bytes", () => {
    expect(byKey.get("alb-5xx-rate")?.threshold).toBe(5);
    expect(byKey.get("api-5xx-rate")?.threshold).toBe(2);
    expect(byKey.get("rds-cpu-high")?.threshold).toBe(85);
    expect(byKey.get("rds-free-storage-low")).toMatchObject({
      threshold: 1610612736,
      comparison: "LessThanThreshold",
    });
    expect(byKey.get("drift-score")?.threshold).toBe(0.3);
  });
});

describe("kebab", () => {
  it("kebab-cases contract keys", () => {
    expect(kebab("backtestJobs")).toBe("backtest-jobs");
    expect(kebab("dry-run-trading")).toBe("dry-run-trading");
  });
});
