/** Environment of the strategy-service image: one schema per `MODE`. */
import {
  BacktestJobMessage,
  ExchangeId,
  ModelName,
  parseEnv,
  requiredString,
  serverEnv,
  Timeframe,
  TradingSymbol,
} from "@tradai/contracts";
import { z } from "zod";

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

export const DryRunEnv = z
  .object({ ...base, ...trading, MODE: z.literal("dry-run") })
  .refine(leaseOutlivesInterval, leaseIssue);
export const LiveEnv = z
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

/** The lease duration in milliseconds: `LEASE_SECONDS`, or three heartbeat intervals. */
export function leaseDurationMs(
  config: Pick<TradingConfig, "LEASE_SECONDS" | "HEARTBEAT_INTERVAL_SECONDS">,
): number {
  return (config.LEASE_SECONDS ?? 3 * config.HEARTBEAT_INTERVAL_SECONDS) * 1000;
}

export type ApiConfig = z.output<typeof ApiEnv>;
export type BacktestConfig = z.output<typeof BacktestEnv>;
export type TrainingConfig = z.output<typeof TrainingEnv>;
export type DryRunConfig = z.output<typeof DryRunEnv>;
export type LiveConfig = z.output<typeof LiveEnv>;
export type TradingConfig = DryRunConfig | LiveConfig;

/** The `MODE` of this process; throws a ConfigError naming `MODE` when it is missing or unknown. */
export function modeOf(env: NodeJS.ProcessEnv = process.env): Mode {
  return parseEnv(z.object({ MODE: Mode }), env).MODE;
}

export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => parseEnv(ApiEnv, env);
export const loadBacktestConfig = (env: NodeJS.ProcessEnv = process.env): BacktestConfig =>
  parseEnv(BacktestEnv, env);
export const loadTrainingConfig = (env: NodeJS.ProcessEnv = process.env): TrainingConfig =>
  parseEnv(TrainingEnv, env);
export const loadTradingConfig = (env: NodeJS.ProcessEnv = process.env): TradingConfig =>
  modeOf(env) === "live" ? parseEnv(LiveEnv, env) : parseEnv(DryRunEnv, env);
