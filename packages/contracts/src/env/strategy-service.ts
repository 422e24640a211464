/**
 * The environment of the strategy-service image, one schema per `MODE`: the exact schemas its
 * `config.ts` parses at start, and the schemas whose INPUT type the compute layer's wiring of each ECS
 * service (`strategy-service`, `dry-run-trading`, `live-trading`) and one-off task (`backtest`,
 * `training`) must satisfy (`StrategyEnvInput<mode>`).
 */
import { z } from "zod";
import { BacktestJobMessage, ExchangeId, ModelName, Timeframe, TradingSymbol } from "../schemas/index";
import { requiredString, serverEnv } from "./fields";

export const StrategyMode = z.enum(["api", "backtest", "training", "dry-run", "live"]);
export type StrategyMode = z.infer<typeof StrategyMode>;

const base = {
  LOG_LEVEL: serverEnv.LOG_LEVEL,
  ENVIRONMENT: z.string().optional(),
};

/** `MODE=api`: the ECS service `strategy-service`. */
export const StrategyApiEnv = z.object({
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

/** `MODE=backtest`: the one-off task sqs-consumer starts per job. */
export const StrategyBacktestEnv = z
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

/** `MODE=training`: the one-off task the retraining workflow runs. */
export const StrategyTrainingEnv = z.object({
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
  /** The trading leases table: an instance places orders only while it holds its service's lease. */
  LEASES_TABLE: requiredString(),
  /**
   * How long a lease lasts without renewal (renewed every heartbeat interval). A holder that dies is
   * replaced after this long. Default: three heartbeat intervals.
   */
  LEASE_SECONDS: z.coerce.number().positive().max(86_400).optional(),
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
  /**
   * The registered model this service trades: its live drawdown is published as `LiveDrawdown` with this
   * `ModelName`, which model-rollback's alarm watches. Default none (nothing published).
   */
  TRADING_MODEL_NAME: ModelName.optional(),
};

/** A lease shorter than the renewal interval would lapse between ticks and let a second trader in. */
const leaseOutlivesInterval = <
  T extends { LEASE_SECONDS?: number | undefined; HEARTBEAT_INTERVAL_SECONDS: number },
>(
  env: T,
) => env.LEASE_SECONDS === undefined || env.LEASE_SECONDS > env.HEARTBEAT_INTERVAL_SECONDS;
const leaseIssue = { message: "must exceed HEARTBEAT_INTERVAL_SECONDS", path: ["LEASE_SECONDS"] };

/** `MODE=dry-run`: the ECS service `dry-run-trading`. */
export const StrategyDryRunEnv = z
  .object({ ...base, ...trading, MODE: z.literal("dry-run") })
  .refine(leaseOutlivesInterval, leaseIssue);

/** `MODE=live`: the ECS service `live-trading`. */
export const StrategyLiveEnv = z
  .object({
    ...base,
    ...trading,
    MODE: z.literal("live"),
    /** Secrets Manager secret holding `{ "apiKey": ..., "apiSecret": ... }`. */
    EXCHANGE_CREDENTIALS_SECRET_ARN: requiredString(),
    /** Binance spot REST API (`https://testnet.binance.vision` for the exchange's test network). */
    BINANCE_BASE_URL: z.url().default("https://api.binance.com"),
    /** Quote currency amount each entry buys (e.g. 100 USDT). */
    TRADING_ORDER_QUOTE_AMOUNT: z.coerce.number().positive(),
  })
  .refine(leaseOutlivesInterval, leaseIssue);

/** Each strategy-service mode's start schema. */
export const STRATEGY_SERVICE_ENV = {
  api: StrategyApiEnv,
  backtest: StrategyBacktestEnv,
  training: StrategyTrainingEnv,
  "dry-run": StrategyDryRunEnv,
  live: StrategyLiveEnv,
} as const satisfies Record<StrategyMode, z.ZodObject>;

/** What a mode's task environment must be given (the schema's input). */
export type StrategyEnvInput<M extends StrategyMode> = z.input<(typeof STRATEGY_SERVICE_ENV)[M]>;
