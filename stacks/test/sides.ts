/**
 * The code's side of every boundary the plan is checked against (`./boundaries.ts`): the exact schemas
 * each Lambda and service parses its environment with at start (`LAMBDA_ENV`, `SERVICE_ENV` and the
 * inline `UpdateNatRoutesEnv` of @tradai/contracts, which each program's `config.ts` loads), the backend's
 * token settings as its config reads them, the metrics the code emits and the port and health path each
 * service serves.
 */

import {
  BackendEnv,
  DataCollectionEnv,
  HEALTH_PATH,
  LAMBDA_ENV,
  LAMBDAS,
  type LaunchVariable,
  METRICS_NAMESPACE,
  MlflowEnv,
  PLATFORM_METRICS,
  SERVICE_ENV,
  type ServiceEnvName,
  StrategyApiEnv,
  StrategyDryRunEnv,
  StrategyLiveEnv,
  UpdateNatRoutesEnv,
} from "@tradai/contracts";
import { sampleBacktestJob } from "@tradai/contracts/fixtures";
import type { CodeSides } from "./boundaries";

/** Where a Lambda's schema is, and the program that parses it at start. */
const lambdaSide = (name: (typeof LAMBDAS)[number]) => ({
  schema: LAMBDA_ENV[name],
  source: `@tradai/contracts LAMBDA_ENV["${name}"] (lambdas/${name}/src/config.ts)`,
});
const taskSource = (name: ServiceEnvName) =>
  name === "mlflow"
    ? `@tradai/contracts SERVICE_ENV["mlflow"] (services/mlflow/entrypoint.py)`
    : `@tradai/contracts SERVICE_ENV["${name}"]`;

/** A valid backtest job as sqs-consumer's RunTask override sets it (lambdas/sqs-consumer/src/backtest-task.ts). */
const JOB_ID = "00000000-0000-4000-8000-000000000001";
const backtestOverrides: Record<LaunchVariable<"backtest">, string> = {
  MODE: "backtest",
  JOB_ID,
  JOB_REQUEST: JSON.stringify(sampleBacktestJob(JOB_ID)),
};
/** The retraining workflow's RunTask overrides (components/src/compute/retraining-definition.ts). */
const trainingOverrides: Record<LaunchVariable<"training">, string> = {
  MODE: "training",
  MODEL_NAME: "strategy-ranker",
  JOB_ID: "job-1",
};
const launcherSets: { [N in ServiceEnvName]?: Record<LaunchVariable<N>, string> } = {
  backtest: backtestOverrides,
  training: trainingOverrides,
};

/**
 * The metrics the code emits in the platform namespace and other packages alarm on or chart: the one list
 * the emitters (drift-monitor, trading-heartbeat-check, health-check, orphan-scanner,
 * pulumi-drift-detector, strategy-service's trading loop) and the edge and compute layers import.
 */
const EMITTED = Object.values(PLATFORM_METRICS);

export const CODE_SIDES: CodeSides = {
  lambdaEnv: {
    ...Object.fromEntries(LAMBDAS.map((name) => [name, lambdaSide(name)])),
    // Foundation names the inline function nat-update-routes; its code is lambdas/update-nat-routes.
    "nat-update-routes": {
      schema: UpdateNatRoutesEnv,
      source: "@tradai/contracts UpdateNatRoutesEnv (lambdas/update-nat-routes/src/config.ts)",
    },
  },
  taskEnv: Object.fromEntries(
    (Object.keys(SERVICE_ENV) as ServiceEnvName[]).map((name) => [
      name,
      { schema: SERVICE_ENV[name], source: taskSource(name), launcherSets: launcherSets[name] },
    ]),
  ),
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
        return node(BackendEnv, "@tradai/contracts BackendEnv.PORT");
      case "data-collection":
        return node(DataCollectionEnv, "@tradai/contracts DataCollectionEnv.PORT");
      case "strategy-service":
        return node(StrategyApiEnv, "@tradai/contracts StrategyApiEnv.PORT");
      case "dry-run-trading":
        return node(StrategyDryRunEnv, "@tradai/contracts StrategyDryRunEnv.PORT");
      case "live-trading":
        return node(StrategyLiveEnv, "@tradai/contracts StrategyLiveEnv.PORT");
      case "mlflow": {
        // entrypoint.py binds MLFLOW_PORT (default 5000) and serves everything under MLFLOW_STATIC_PREFIX.
        const { MLFLOW_PORT, MLFLOW_STATIC_PREFIX } = MlflowEnv.shape;
        return {
          port: MLFLOW_PORT.parse(env.MLFLOW_PORT) ?? 5000,
          healthPath: `${MLFLOW_STATIC_PREFIX.parse(env.MLFLOW_STATIC_PREFIX) ?? ""}/health`,
          source:
            "services/mlflow/entrypoint.py (@tradai/contracts MlflowEnv MLFLOW_PORT, MLFLOW_STATIC_PREFIX)",
        };
      }
      default:
        return undefined;
    }
  },
};
