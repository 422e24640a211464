/**
 * The environment each service parses at start: the exact schemas their `config.ts` load (strategy-service
 * one per `MODE`, in `./strategy-service`; MLflow's Python entrypoint is described by `./mlflow`), and
 * the schemas whose INPUT type the compute layer's task wiring must satisfy (`ServiceEnvInput<...>`).
 */
import { z } from "zod";
import type { EcsServiceName } from "../platform";
import { commaList, requiredString, serverEnv } from "./fields";
import { MlflowEnv } from "./mlflow";
import { STRATEGY_SERVICE_ENV, type StrategyEnvInput } from "./strategy-service";

/** Environment of the backend API (ECS service `backend-api`). */
export const BackendEnv = z
  .object({
    ...serverEnv,
    STRATEGIES_TABLE: requiredString(),
    JOBS_TABLE: requiredString(),
    BACKTEST_JOBS_QUEUE_URL: z.url(),
    /** The persistent layer's Cognito user pool, e.g. `eu-central-1_AbCdEf123`. */
    COGNITO_USER_POOL_ID: z
      .string()
      .regex(/^[\w-]+_[0-9a-zA-Z]+$/, "expected a user pool id like eu-central-1_AbC123"),
    /** App client ids whose tokens are accepted (comma-separated). */
    COGNITO_CLIENT_IDS: commaList().pipe(
      z.array(z.string()).min(1, "at least one app client id is required"),
    ),
    /**
     * Which Cognito token the API accepts as bearer token: the kind API Gateway's authorizer lets through
     * (compute sets it from the same definition the authorizer is built from).
     */
    COGNITO_TOKEN_USE: z.enum(["access", "id"]).default("access"),
    /**
     * OAuth scopes (comma-separated, `<resource server>/<scope>`) of which an access token must carry one,
     * like the authorizer's `authorizationScopes`. Default none (any access token of the pool's clients).
     */
    COGNITO_REQUIRED_SCOPES: commaList().default([]),
    /** Name (or ARN) of the validate-strategy function every strategy entering the API is checked by. */
    VALIDATE_STRATEGY_FUNCTION: requiredString(),
    /** Days a job record is kept before the table's TTL removes it. */
    JOB_TTL_DAYS: z.coerce.number().int().positive().default(90),
  })
  // ID tokens carry no `scope` claim: requiring scopes of them would refuse every request.
  .refine((env) => env.COGNITO_TOKEN_USE === "access" || env.COGNITO_REQUIRED_SCOPES.length === 0, {
    message: "scopes can only be required of access tokens (COGNITO_TOKEN_USE=access)",
    path: ["COGNITO_REQUIRED_SCOPES"],
  });

/** Environment of the data-collection service. */
export const DataCollectionEnv = z.object({
  ...serverEnv,
  MARKET_DATA_BUCKET: requiredString(),
  /** Binance REST base URL; `https://data-api.binance.vision` serves the same public market data. */
  BINANCE_BASE_URL: z.url().default("https://api.binance.com"),
  /** Candles per exchange request (Binance allows up to 1000). */
  EXCHANGE_PAGE_LIMIT: z.coerce.number().int().min(1).max(1000).default(1000),
  EXCHANGE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Longest range one request may collect, in days. */
  MAX_COLLECTION_DAYS: z.coerce.number().int().positive().default(366),
});

/**
 * Each ECS task definition's environment schema, by the name compute gives the task (`tradai-<env>-<name>`):
 * the ECS services and strategy-service's one-off tasks.
 */
export const SERVICE_ENV = {
  "backend-api": BackendEnv,
  "data-collection": DataCollectionEnv,
  "strategy-service": STRATEGY_SERVICE_ENV.api,
  mlflow: MlflowEnv,
  "dry-run-trading": STRATEGY_SERVICE_ENV["dry-run"],
  "live-trading": STRATEGY_SERVICE_ENV.live,
  backtest: STRATEGY_SERVICE_ENV.backtest,
  training: STRATEGY_SERVICE_ENV.training,
} as const satisfies Record<EcsServiceName | "backtest" | "training", z.ZodObject>;
export type ServiceEnvName = keyof typeof SERVICE_ENV;
/** What a task's environment must be given (the schema's input). */
export type ServiceEnvInput<N extends ServiceEnvName> = z.input<(typeof SERVICE_ENV)[N]>;

/**
 * The variables the launcher of a one-off task sets on each run as container overrides (sqs-consumer's
 * RunTask for a backtest, the retraining workflow's RunTask for training), so its task definition need
 * not: everything else the mode requires must be in the task definition.
 */
export const TASK_LAUNCH_VARIABLES = {
  backtest: ["MODE", "JOB_ID", "JOB_REQUEST"],
  training: ["MODE", "MODEL_NAME", "JOB_ID"],
} as const satisfies { [M in "backtest" | "training"]: readonly (keyof StrategyEnvInput<M>)[] };
/** A variable the launcher of task `N` sets on each run (none for a service). */
export type LaunchVariable<N extends ServiceEnvName> = N extends keyof typeof TASK_LAUNCH_VARIABLES
  ? (typeof TASK_LAUNCH_VARIABLES)[N][number]
  : never;
