/**
 * The code's side of every boundary the plan is checked against (`./boundaries.ts`): the exact schemas
 * each Lambda and service parses its environment with at start, imported from their own modules (no
 * copies), the backend's token settings as its config reads them, the metrics the code emits and the
 * port and health path each service serves.
 */

import { METRICS_NAMESPACE, PLATFORM_METRICS } from "@tradai/contracts";
import { Env as backtestConsumer } from "../../lambdas/backtest-consumer/src/config";
import { Env as checkRetrainingNeeded } from "../../lambdas/check-retraining-needed/src/config";
import { CleanupEnv } from "../../lambdas/cleanup-resources/src/config";
import { Env as compareModels } from "../../lambdas/compare-models/src/config";
import { ProxyEnv } from "../../lambdas/data-collection-proxy/src/config";
import { DriftMonitorEnv } from "../../lambdas/drift-monitor/src/config";
import { HealthCheckEnv } from "../../lambdas/health-check/src/config";
import { Env as modelRollback } from "../../lambdas/model-rollback/src/config";
import { Env as notifyCompletion } from "../../lambdas/notify-completion/src/config";
import { OrphanScannerEnv } from "../../lambdas/orphan-scanner/src/config";
import { Env as promoteModel } from "../../lambdas/promote-model/src/config";
import { Env as pulumiDriftDetector } from "../../lambdas/pulumi-drift-detector/src/config";
import { Env as retrainingScheduler } from "../../lambdas/retraining-scheduler/src/config";
import { Env as sqsConsumer } from "../../lambdas/sqs-consumer/src/config";
import { HeartbeatCheckEnv } from "../../lambdas/trading-heartbeat-check/src/config";
import { EnvSchema as updateNatRoutes } from "../../lambdas/update-nat-routes/src/config";
import { Env as updateStatus } from "../../lambdas/update-status/src/config";
import { BackendEnv } from "../../services/backend/src/config";
import { HEALTH_PATH } from "../../services/common/src/app";
import { DataCollectionEnv } from "../../services/data-collection/src/config";
import {
  ApiEnv,
  BacktestEnv,
  DryRunEnv,
  LiveEnv,
  TrainingEnv,
} from "../../services/strategy-service/src/config";
import type { CodeSides, EnvSchema } from "./boundaries";

/** validate-strategy reads no configuration: any environment parses. */
const noEnvironment: EnvSchema = { safeParse: () => ({ success: true }) };

const lambda = (name: string, schema: EnvSchema, file = "config.ts", exported = "Env") => ({
  schema,
  source: `lambdas/${name}/src/${file} ${exported}`,
});

/** A valid backtest job as sqs-consumer's RunTask override sets it (lambdas/sqs-consumer/src/backtest-task.ts). */
const JOB_ID = "00000000-0000-4000-8000-000000000001";
const backtestOverrides = {
  JOB_ID,
  JOB_REQUEST: JSON.stringify({
    jobId: JOB_ID,
    strategyId: "sma-crossover",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    from: "2024-01-01",
    to: "2024-02-01",
    parameters: {},
  }),
};

/**
 * The metrics the code emits in the platform namespace and other packages alarm on or chart: the one list
 * the emitters (drift-monitor, trading-heartbeat-check, health-check, orphan-scanner,
 * pulumi-drift-detector, strategy-service's trading loop) and the edge and compute layers import.
 */
const EMITTED = Object.values(PLATFORM_METRICS);

export const CODE_SIDES: CodeSides = {
  lambdaEnv: {
    "backtest-consumer": lambda("backtest-consumer", backtestConsumer),
    "check-retraining-needed": lambda("check-retraining-needed", checkRetrainingNeeded),
    "cleanup-resources": lambda("cleanup-resources", CleanupEnv, "config.ts", "CleanupEnv"),
    "compare-models": lambda("compare-models", compareModels),
    "data-collection-proxy": lambda("data-collection-proxy", ProxyEnv, "config.ts", "ProxyEnv"),
    "drift-monitor": lambda("drift-monitor", DriftMonitorEnv, "config.ts", "DriftMonitorEnv"),
    "health-check": lambda("health-check", HealthCheckEnv, "config.ts", "HealthCheckEnv"),
    "model-rollback": lambda("model-rollback", modelRollback),
    "notify-completion": lambda("notify-completion", notifyCompletion),
    "orphan-scanner": lambda("orphan-scanner", OrphanScannerEnv, "config.ts", "OrphanScannerEnv"),
    "promote-model": lambda("promote-model", promoteModel),
    "pulumi-drift-detector": lambda("pulumi-drift-detector", pulumiDriftDetector),
    "retraining-scheduler": lambda("retraining-scheduler", retrainingScheduler),
    "sqs-consumer": lambda("sqs-consumer", sqsConsumer),
    "trading-heartbeat-check": lambda(
      "trading-heartbeat-check",
      HeartbeatCheckEnv,
      "config.ts",
      "HeartbeatCheckEnv",
    ),
    // Foundation names the inline function nat-update-routes; its code is lambdas/update-nat-routes.
    "nat-update-routes": lambda("update-nat-routes", updateNatRoutes, "config.ts", "EnvSchema"),
    "update-status": lambda("update-status", updateStatus),
    "validate-strategy": { schema: noEnvironment, source: "lambdas/validate-strategy (no configuration)" },
  },
  taskEnv: {
    "backend-api": { schema: BackendEnv, source: "services/backend/src/config.ts BackendEnv" },
    "data-collection": {
      schema: DataCollectionEnv,
      source: "services/data-collection/src/config.ts DataCollectionEnv",
    },
    "strategy-service": { schema: ApiEnv, source: "services/strategy-service/src/config.ts ApiEnv" },
    "dry-run-trading": { schema: DryRunEnv, source: "services/strategy-service/src/config.ts DryRunEnv" },
    "live-trading": { schema: LiveEnv, source: "services/strategy-service/src/config.ts LiveEnv" },
    backtest: {
      schema: BacktestEnv,
      source: "services/strategy-service/src/config.ts BacktestEnv",
      launcherSets: backtestOverrides,
    },
    training: {
      schema: TrainingEnv,
      source: "services/strategy-service/src/config.ts TrainingEnv",
      // The retraining workflow's RunTask overrides (components/src/compute/retraining-definition.ts).
      launcherSets: { MODEL_NAME: "strategy-ranker", JOB_ID: "job-1" },
    },
    // The upstream MLflow server: services/mlflow/entrypoint.py, not a zod schema.
    mlflow: { schema: noEnvironment, source: "services/mlflow/entrypoint.py" },
  },
  runtimeVariables: ["AWS_REGION", "POWERTOOLS_SERVICE_NAME", "ENVIRONMENT", "LOG_LEVEL"],
  backendTokens: (env) => {
    const config = BackendEnv.parse(env);
    return { tokenUse: config.COGNITO_TOKEN_USE, scopes: config.COGNITO_REQUIRED_SCOPES };
  },
  emittedMetrics: {
    namespace: METRICS_NAMESPACE,
    names: EMITTED,
    source: "@tradai/contracts PLATFORM_METRICS",
  },
  serviceEndpoints: (service, env) => {
    const node = (schema: { parse(v: unknown): { PORT: number } }, source: string) => ({
      port: schema.parse(env).PORT,
      healthPath: HEALTH_PATH,
      source,
    });
    switch (service) {
      case "backend-api":
        return node(BackendEnv, "services/backend/src/config.ts BackendEnv.PORT");
      case "data-collection":
        return node(DataCollectionEnv, "services/data-collection/src/config.ts DataCollectionEnv.PORT");
      case "strategy-service":
        return node(ApiEnv, "services/strategy-service/src/config.ts ApiEnv.PORT");
      case "dry-run-trading":
        return node(DryRunEnv, "services/strategy-service/src/config.ts DryRunEnv.PORT");
      case "live-trading":
        return node(LiveEnv, "services/strategy-service/src/config.ts LiveEnv.PORT");
      case "mlflow":
        // entrypoint.py binds MLFLOW_PORT (default 5000) and serves everything under MLFLOW_STATIC_PREFIX.
        return {
          port: Number(env.MLFLOW_PORT ?? 5000),
          healthPath: `${env.MLFLOW_STATIC_PREFIX ?? ""}/health`,
          source: "services/mlflow/entrypoint.py (MLFLOW_PORT, MLFLOW_STATIC_PREFIX)",
        };
      default:
        return undefined;
    }
  },
};
