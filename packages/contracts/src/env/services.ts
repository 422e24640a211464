/**
 * The environment each service parses at start (the backend, data-collection, and strategy-service per
 * `MODE`): the exact schemas their `config.ts` load, and the schemas whose INPUT type the compute layer's
 * task wiring must satisfy (`ServiceEnvInput<...>`).
 */
import { z } from "zod";
import { BacktestJobMessage, ExchangeId, ModelName, Timeframe, TradingSymbol } from "../schemas/index";
import { commaList, requiredString, serverEnv } from "./fields";

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

/** strategy-service: one schema per `MODE`. */
export const Mode = z.enum(["api", "backtest", "training", "dry-run", "live"]);
export type Mode = z.infer<typeof Mode>;

const base = {
  LOG_LEVEL: serverEnv.LOG_LEVEL,
  ENVIRONMENT: z.string().optional(),
};

export const ApiEnv = z.object({
  ...serverEnv,
  MODE: z.literal("api"),
  MARKET_DATA_BUCKET: requiredString(),
  /** Longest range the synchronous backtest endpoint accepts; longer runs go through the job queue. */
  SYNC_BACKTEST_MAX_DAYS: z.coerce.number().int().positive().default(31),
});

/** `JOB_REQUEST` is the validated queue message as JSON (set by sqs-consumer as a container override). */
const JobRequest = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not JSON" });
      return z.NEVER;
    }
  })
  .pipe(BacktestJobMessage);

export const BacktestEnv = z
  .object({
    ...base,
    MODE: z.literal("backtest"),
    MARKET_DATA_BUCKET: requiredString(),
    ARTIFACTS_BUCKET: requiredString(),
    BACKTEST_RESULTS_QUEUE_URL: z.url(),
    /** The backend's strategies table: jobs may name a stored rule-based strategy instead of a built-in one. */
    STRATEGIES_TABLE: z.string().min(1).optional(),
    JOB_ID: z.uuid(),
    JOB_REQUEST: JobRequest,
  })
  .refine((env) => env.JOB_REQUEST.jobId === env.JOB_ID, {
    message: "jobId differs from JOB_ID",
    path: ["JOB_REQUEST"],
  });

export const TrainingEnv = z.object({
  ...base,
  MODE: z.literal("training"),
  MARKET_DATA_BUCKET: requiredString(),
  MLFLOW_TRACKING_URI: z.url(),
  MODEL_NAME: ModelName,
  JOB_ID: requiredString(),
  /** What the model is trained on. */
  TRAINING_STRATEGY: z.string().default("sma-crossover"),
  TRAINING_EXCHANGE: ExchangeId.default("binance"),
  TRAINING_SYMBOL: TradingSymbol.default("BTC-USDT"),
  TRAINING_TIMEFRAME: Timeframe.default("1h"),
  TRAINING_LOOKBACK_DAYS: z.coerce.number().int().min(2).max(3650).default(90),
  /** Share of the candles used for the parameter search; the rest validates the winner. */
  TRAINING_SPLIT: z.coerce.number().gt(0.1).lt(0.95).default(0.7),
  MLFLOW_EXPERIMENT_NAME: z.string().min(1).optional(),
});

const trading = {
  ...serverEnv,
  HEARTBEATS_TABLE: requiredString(),
  HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** Heartbeat items expire (table TTL) this long after their last beat. */
  HEARTBEAT_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** The heartbeats table key; defaults to the ECS service name (`dry-run-trading`, `live-trading`). */
  SERVICE_ID: z.string().min(1).optional(),
  SERVICE_VERSION: z.string().min(1).optional(),
  MARKET_DATA_BUCKET: requiredString(),
  TRADING_STRATEGY: z.string().default("sma-crossover"),
  /** JSON object of strategy parameters; the strategy's defaults when absent. */
  TRADING_PARAMETERS: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not JSON" });
        return z.NEVER;
      }
    }),
  TRADING_EXCHANGE: ExchangeId.default("binance"),
  TRADING_SYMBOL: TradingSymbol.default("BTC-USDT"),
  TRADING_TIMEFRAME: Timeframe.default("1h"),
  /** Days of stored candles each decision looks at. */
  TRADING_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(365).default(7),
};

export const DryRunEnv = z.object({ ...base, ...trading, MODE: z.literal("dry-run") });
export const LiveEnv = z.object({
  ...base,
  ...trading,
  MODE: z.literal("live"),
  /** Secrets Manager secret holding `{ "apiKey": ..., "apiSecret": ... }`. */
  EXCHANGE_CREDENTIALS_SECRET_ARN: requiredString(),
  /** Binance spot REST API (`https://testnet.binance.vision` for the exchange's test network). */
  BINANCE_BASE_URL: z.url().default("https://api.binance.com"),
  /** Quote currency amount each entry buys (e.g. 100 USDT). */
  TRADING_ORDER_QUOTE_AMOUNT: z.coerce.number().positive(),
});

/** Each ECS task's environment schema, by the name its wiring uses (the strategy-service image per MODE). */
export const SERVICE_ENV = {
  backend: BackendEnv,
  "data-collection": DataCollectionEnv,
  "strategy-api": ApiEnv,
  "strategy-backtest": BacktestEnv,
  "strategy-training": TrainingEnv,
  "strategy-dry-run": DryRunEnv,
  "strategy-live": LiveEnv,
} as const;
export type ServiceEnvName = keyof typeof SERVICE_ENV;
/** What a task's environment must be given (the schema's input). */
export type ServiceEnvInput<N extends ServiceEnvName> = z.input<(typeof SERVICE_ENV)[N]>;
