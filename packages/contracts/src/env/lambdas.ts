/**
 * The environment each container Lambda parses at start: the exact schema its `config.ts` loads, and
 * the schema whose INPUT type the compute layer's wiring must satisfy (`LambdaEnvInput<name>`), so a
 * variable renamed or dropped on one side only is a compile error. docs/runtime-contracts.md lists them.
 */
import * as z from "zod";
import { LAYERS, type LambdaName } from "../platform";
import {
  CompareModelsInput,
  ExchangeId,
  RetrainingModelConfig,
  Timeframe,
  TradingSymbol,
} from "../schemas/index";
import { csvList, jsonString, positiveNumber, requiredString, s3BackendUrl } from "./fields";

export const BacktestConsumerEnv = z.object({
  JOBS_TABLE: requiredString(),
  NOTIFICATIONS_TOPIC_ARN: requiredString(),
  ENVIRONMENT: z.string().min(1).optional(),
});

/** A floor on one metric of the champion's training run: below it (above it for `lower`) means retrain. */
export const PerformanceFloor = z.object({
  /** MLflow run metric key, e.g. `sharpe`. */
  metric: z.string().min(1),
  /** The worst acceptable value. */
  threshold: z.number(),
  /** Whether higher values are better (`higher`, default) or lower ones (`lower`, e.g. max drawdown). */
  direction: z.enum(["higher", "lower"]).default("higher"),
});
export type PerformanceFloor = z.infer<typeof PerformanceFloor>;

/**
 * One `RETRAINING_MODELS` entry as this function reads it: the scheduler's `{ modelName, maxAgeDays }`
 * plus optional `performance` floors (the scheduler ignores the extra key).
 */
export const ModelPolicy = RetrainingModelConfig.extend({
  performance: z.array(PerformanceFloor).default([]),
});
export type ModelPolicy = z.infer<typeof ModelPolicy>;

export const CheckRetrainingNeededEnv = z.object({
  /** MLflow REST base URL (Cloud Map name inside the VPC). */
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }),
  RETRAINING_MODELS: jsonString(z.array(ModelPolicy).min(1, "expected at least one model")),
  /** PSI above which the champion counts as drifted; the same variable drift-monitor flags with. */
  DRIFT_THRESHOLD: positiveNumber(),
  /** Only a `DriftScore` data point at most this old counts (drift-monitor runs on a schedule). */
  DRIFT_LOOKBACK_HOURS: positiveNumber().default(48),
});

export const CleanupResourcesEnv = z.object({
  ECS_CLUSTER: requiredString(),
  JOBS_TABLE: requiredString(),
  ARTIFACTS_BUCKET: requiredString(),
  BACKTEST_MAX_RUNTIME_MINUTES: positiveNumber(),
  JOB_STUCK_MINUTES: positiveNumber(),
  ARTIFACT_RETENTION_DAYS: positiveNumber(),
});

export const Direction = z.enum(["higher", "lower"]);
export type Direction = z.infer<typeof Direction>;

/** A non-negative number given as a string (`"0.05"`). */
const nonNegative = () => z.coerce.number().min(0, "expected a number >= 0");

export const CompareModelsEnv = z.object({
  /** MLflow REST base URL (Cloud Map name inside the VPC). */
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }),
  /** The run metric candidate and champion are compared on, e.g. `sharpe`. */
  COMPARE_METRIC: z.string().min(1, "expected a metric name"),
  /** Whether a higher (`higher`, default) or lower (`lower`) value of the metric is better. */
  COMPARE_DIRECTION: Direction.default("higher"),
  /** How much better (in the metric's own units) the candidate must be to replace the champion. */
  MIN_IMPROVEMENT: nonNegative().default(0),
});

/** The workflow passes `{ modelName }`; a manual run may override the comparison settings. */
export const CompareInput = CompareModelsInput.extend({
  metric: z.string().min(1).optional(),
  direction: Direction.optional(),
  minImprovement: z.number().min(0).optional(),
});
export type CompareInput = z.infer<typeof CompareInput>;

/**
 * A request the schedule sends on every run: the window is the `lookbackHours` before the event's time,
 * so each run collects the candles since roughly the previous one (with overlap, the service is idempotent).
 */
export const ScheduledCollection = z.strictObject({
  exchange: ExchangeId,
  symbol: TradingSymbol,
  timeframe: Timeframe,
  lookbackHours: z
    .number()
    .positive()
    .max(24 * 366),
});
export type ScheduledCollection = z.infer<typeof ScheduledCollection>;

export const ProxyEnv = z.object({
  /** Base URL of the data-collection service (Cloud Map name inside the VPC). */
  DATA_COLLECTION_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
  /** JSON array of {@link ScheduledCollection}: what a scheduled invocation collects. */
  DEFAULT_COLLECTION_REQUESTS: jsonString(z.array(ScheduledCollection)).default([]),
  DATA_COLLECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  DATA_COLLECTION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  DATA_COLLECTION_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(500),
});
export type ProxyEnv = z.infer<typeof ProxyEnv>;

const DriftModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "expected a model name (letters, digits, . _ -)");

export const DriftMonitorEnv = z.object({
  ARTIFACTS_BUCKET: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  /** JSON array of model names that have reference distributions. */
  DRIFT_MODELS: jsonString(z.array(DriftModelName).min(1, "expected at least one model")),
  /** PSI above which a model is flagged. */
  DRIFT_THRESHOLD: positiveNumber(),
  ENVIRONMENT: z.string().optional(),
});

/** One entry of `MONITORED_SERVICES`: an ECS service name and optionally its health endpoint. */
export const MonitoredService = z.strictObject({
  service: z.string().min(1),
  healthUrl: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
});
export type MonitoredService = z.infer<typeof MonitoredService>;

export const HealthCheckEnv = z.object({
  ECS_CLUSTER: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  MONITORED_SERVICES: jsonString(z.array(MonitoredService)),
  /** Per-request timeout of the health endpoint probes; a Lambda run must end well before its own timeout. */
  HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
  ENVIRONMENT: z.string().optional(),
});
export type HealthCheckEnv = z.infer<typeof HealthCheckEnv>;

/** promote-model and model-rollback both move MLflow's champion alias and record it, retry-safe. */
export const ChampionMoverEnv = z.object({
  /** MLflow REST base URL (Cloud Map name inside the VPC). */
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }),
  MODEL_DEPLOYMENTS_TABLE: requiredString(),
  /** Powertools idempotency records: a retried invocation returns the first result. */
  IDEMPOTENCY_TABLE: requiredString(),
});

export const NotifyCompletionEnv = z.object({
  NOTIFICATIONS_TOPIC_ARN: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  ENVIRONMENT: z.string().min(1).optional(),
});

export const OrphanScannerEnv = z.object({
  /** The DIY state backend every stack of this account uses: `s3://bucket[/prefix]`, parsed. */
  PULUMI_BACKEND_URL: s3BackendUrl(),
  ALERTS_TOPIC_ARN: requiredString(),
  /** Value of the `Project` tag that marks the platform's resources. */
  PROJECT_TAG: z.string().min(1).default("tradai"),
  ENVIRONMENT: z.string().optional(),
});

export const StackTarget = z
  .object({
    layer: z.enum(LAYERS),
    /** Stack name within the layer's project: `dev`, `staging`, `prod`. */
    stack: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "expected a stack name like dev"),
    /** Pulumi project; defaults to the layer's `tradai-<layer>`. */
    project: z.string().min(1).optional(),
  })
  .transform((t) => ({ ...t, project: t.project ?? `tradai-${t.layer}` }));
export type StackTarget = z.output<typeof StackTarget>;

export const PulumiDriftDetectorEnv = z.object({
  /** The state backend the layers deploy with, e.g. `s3://tradai-pulumi-state-123456789012`. */
  PULUMI_BACKEND_URL: requiredString(),
  /** JSON array of `{ "layer", "stack" }` to check. */
  PULUMI_STACKS: jsonString(z.array(StackTarget).min(1, "expected at least one stack")),
  ALERTS_TOPIC_ARN: requiredString(),
  ENVIRONMENT: z.string().optional(),
  /** Where the image installed the Pulumi CLI (`<root>/bin/pulumi`). Unset: `pulumi` from PATH. */
  PULUMI_CLI_ROOT: z.string().min(1).optional(),
  /** Provider plugins installed at build time, linked into the writable Pulumi home at run time. */
  PULUMI_PLUGINS_DIR: z.string().min(1).optional(),
});

export const RetrainingSchedulerEnv = z.object({
  RETRAINING_STATE_MACHINE_ARN: requiredString(),
  RETRAINING_MODELS: jsonString(z.array(RetrainingModelConfig)),
  JOBS_TABLE: requiredString(),
  MODEL_DEPLOYMENTS_TABLE: requiredString(),
});

export const SqsConsumerEnv = z.object({
  JOBS_TABLE: requiredString(),
  ECS_CLUSTER: requiredString(),
  BACKTEST_TASK_DEFINITION: requiredString(),
  BACKTEST_CONTAINER_NAME: requiredString(),
  TASK_SUBNETS: csvList(),
  TASK_SECURITY_GROUPS: csvList(),
});

export const HeartbeatCheckEnv = z.object({
  HEARTBEATS_TABLE: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  /** A heartbeat older than this many seconds is stale. */
  HEARTBEAT_STALE_SECONDS: positiveNumber(),
  /**
   * JSON array of service ids that must have a heartbeat (e.g. `["live-trading"]`); a missing item is
   * reported like a stale one. Optional: without it only existing items are judged.
   */
  EXPECTED_HEARTBEAT_SERVICES: jsonString(z.array(z.string().min(1))).default([]),
  ENVIRONMENT: z.string().optional(),
});

export type DriftMonitorEnv = z.infer<typeof DriftMonitorEnv>;
export type HeartbeatCheckEnv = z.infer<typeof HeartbeatCheckEnv>;

export const UpdateStatusEnv = z.object({
  JOBS_TABLE: requiredString(),
  /** The container whose exit code decides a backtest's outcome; without it every container must exit 0. */
  BACKTEST_CONTAINER_NAME: z.string().min(1).optional(),
});

/** validate-strategy reads nothing from its environment. */
export const ValidateStrategyEnv = z.object({});

/** Each container Lambda's environment schema, by Lambda name. */
export const LAMBDA_ENV = {
  "backtest-consumer": BacktestConsumerEnv,
  "check-retraining-needed": CheckRetrainingNeededEnv,
  "cleanup-resources": CleanupResourcesEnv,
  "compare-models": CompareModelsEnv,
  "data-collection-proxy": ProxyEnv,
  "drift-monitor": DriftMonitorEnv,
  "health-check": HealthCheckEnv,
  "model-rollback": ChampionMoverEnv,
  "notify-completion": NotifyCompletionEnv,
  "orphan-scanner": OrphanScannerEnv,
  "promote-model": ChampionMoverEnv,
  "pulumi-drift-detector": PulumiDriftDetectorEnv,
  "retraining-scheduler": RetrainingSchedulerEnv,
  "sqs-consumer": SqsConsumerEnv,
  "trading-heartbeat-check": HeartbeatCheckEnv,
  "update-status": UpdateStatusEnv,
  "validate-strategy": ValidateStrategyEnv,
} as const satisfies Record<LambdaName, z.ZodObject>;

/** What a Lambda's environment must be given (the schema's input: defaults and optionals may be left out). */
export type LambdaEnvInput<N extends LambdaName> = z.input<(typeof LAMBDA_ENV)[N]>;
/** What a Lambda's code gets after parsing. */
export type LambdaEnv<N extends LambdaName> = z.output<(typeof LAMBDA_ENV)[N]>;

/**
 * The foundation layer's inline `update-nat-routes` function (not a container Lambda, so not in
 * `LAMBDA_ENV`): the schema its `config.ts` parses and foundation's `NatRouteUpdater` wires.
 */
export const UpdateNatRoutesEnv = z.object({
  /** Comma-separated ids of the private route tables whose default route follows the NAT instance. */
  ROUTE_TABLE_IDS: z
    .string({ error: "is not set" })
    .transform((value) =>
      value
        .split(",")
        .map((id) => id.trim())
        .filter((id) => id.length > 0),
    )
    .pipe(
      z
        .array(z.string().regex(/^rtb-[0-9a-f]+$/, { error: "expected route table ids (rtb-...)" }))
        .min(1, { error: "expected at least one route table id" }),
    ),
  /** The NAT instance's Auto Scaling group (events for any other group are refused). */
  NAT_ASG_NAME: z.string({ error: "is not set" }).min(1, { error: "must not be empty" }),
});
/** What foundation must wire to `update-nat-routes` (the schema's input). */
export type UpdateNatRoutesEnvInput = z.input<typeof UpdateNatRoutesEnv>;
