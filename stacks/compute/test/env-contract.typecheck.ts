/**
 * Seeded breaks that must fail to COMPILE: `pnpm typecheck` checks this file, and each `@ts-expect-error`
 * fails the typecheck if the line below it stops being an error, i.e. if the boundary stops catching the
 * break. Nothing here runs.
 */
import type {
  BacktestJobMessage,
  JobRecord,
  LambdaEnvInput,
  ServiceEnvInput,
  StrategyEnvInput,
} from "@tradai/contracts";
import { lambdaEnvironment } from "../catalog/functions";
import { serviceEnvironment } from "../catalog/services";

const sqsConsumer = {
  JOBS_TABLE: "jobs",
  ECS_CLUSTER: "cluster",
  BACKTEST_TASK_DEFINITION: "task",
  BACKTEST_CONTAINER_NAME: "backtest",
  TASK_SUBNETS: "subnet-1",
  TASK_SECURITY_GROUPS: "sg-1",
};

// strategy-service's wiring, as compute writes it (a one-off task leaves out what its launcher sets).
const backtest = {
  MODE: "backtest",
  MARKET_DATA_BUCKET: "market-data",
  ARTIFACTS_BUCKET: "artifacts",
  BACKTEST_RESULTS_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/1/results",
  STRATEGIES_TABLE: "strategies",
} as const;
const training = {
  MODE: "training",
  MARKET_DATA_BUCKET: "market-data",
  MLFLOW_TRACKING_URI: "http://mlflow.tradai-dev.internal:5000/mlflow",
} as const;
const live = {
  MODE: "live",
  MARKET_DATA_BUCKET: "market-data",
  HEARTBEATS_TABLE: "heartbeats",
  LEASES_TABLE: "leases",
  EXCHANGE_CREDENTIALS_SECRET_ARN: "tradai/dev/exchange-credentials",
  TRADING_ORDER_QUOTE_AMOUNT: "100",
} as const;

const { BACKTEST_RESULTS_QUEUE_URL: _queue, ...backtestWithoutQueue } = backtest;

export const seededBreaks = [
  // The wiring as compute writes it compiles.
  lambdaEnvironment("sqs-consumer", sqsConsumer),
  lambdaEnvironment("sqs-consumer", { ...sqsConsumer, ENVIRONMENT: "dev" }),

  // A variable renamed on the wiring side only (JOBS_TABLE -> JOB_TABLE): required one missing.
  // @ts-expect-error JOBS_TABLE is required by SqsConsumerEnv
  lambdaEnvironment("sqs-consumer", { ...sqsConsumer, JOBS_TABLE: undefined, JOB_TABLE: "jobs" }),

  // A variable dropped from the wiring.
  // @ts-expect-error BACKTEST_CONTAINER_NAME is required by SqsConsumerEnv
  lambdaEnvironment("sqs-consumer", { ...sqsConsumer, BACKTEST_CONTAINER_NAME: undefined }),

  // A variable the code no longer reads (renamed or dropped on the schema side) still wired.
  // @ts-expect-error STALE_VARIABLE is not read by update-status
  lambdaEnvironment("update-status", { JOBS_TABLE: "jobs", STALE_VARIABLE: "x" }),

  // The same for a service task.
  // @ts-expect-error MARKET_DATA_BUCKET is required by DataCollectionEnv
  serviceEnvironment("data-collection", { PORT: "8080" }),

  // strategy-service, one schema per MODE. The wiring as compute writes it compiles; a one-off task's
  // definition leaves out what its launcher sets per run (backtest: JOB_ID, JOB_REQUEST).
  serviceEnvironment("backtest", backtest),
  serviceEnvironment("training", training),
  serviceEnvironment("live-trading", live),

  // A variable of the backtest mode renamed on the wiring side only.
  // @ts-expect-error BACKTEST_RESULTS_QUEUE_URL is required by StrategyBacktestEnv
  serviceEnvironment("backtest", { ...backtestWithoutQueue, RESULTS_QUEUE_URL: "q" }),

  // A variable the launcher does not set, dropped from the task definition.
  // @ts-expect-error MARKET_DATA_BUCKET is required by StrategyTrainingEnv
  serviceEnvironment("training", { ...training, MARKET_DATA_BUCKET: undefined }),

  // The wrong mode for the task: MODE is a literal of each schema.
  // @ts-expect-error training's MODE is "training"
  serviceEnvironment("training", { ...training, MODE: "backtest" }),

  // A live-mode variable dropped: the live trader needs its order size.
  // @ts-expect-error TRADING_ORDER_QUOTE_AMOUNT is required by StrategyLiveEnv
  serviceEnvironment("live-trading", { ...live, TRADING_ORDER_QUOTE_AMOUNT: undefined }),

  // A live-only variable wired to the dry-run trader, which does not read it.
  // @ts-expect-error EXCHANGE_CREDENTIALS_SECRET_ARN is not read in dry-run mode
  serviceEnvironment("dry-run-trading", { ...live, MODE: "dry-run" }),

  // MLflow (its Python entrypoint's variables, named in contracts): a renamed variable.
  // @ts-expect-error MLFLOW_PREFIX is not a variable the entrypoint reads
  serviceEnvironment("mlflow", { ARTIFACTS_BUCKET: "artifacts", MLFLOW_PREFIX: "/mlflow" }),
];

// A strategy-service schema-side rename (MLFLOW_TRACKING_URI -> MLFLOW_URI) breaks the wiring too.
type TrainingRenamed = Omit<StrategyEnvInput<"training">, "MLFLOW_TRACKING_URI"> & { MLFLOW_URI: string };
// @ts-expect-error the wiring lacks the renamed variable
export const trainingRenamedOnSchemaSide: Omit<TrainingRenamed, "MODEL_NAME" | "JOB_ID"> = training;

// A launch variable that the mode's schema no longer reads is not accepted as one.
export const staleLaunchVariable = [
  "JOB_ID",
  // @ts-expect-error JOB_REQUESTS is not a variable of the backtest schema
  "JOB_REQUESTS",
] as const satisfies readonly (keyof ServiceEnvInput<"backtest">)[];

// A schema-side rename is a wiring error too: the wiring must satisfy the schema's input type.
type Renamed = Omit<LambdaEnvInput<"update-status">, "JOBS_TABLE"> & { JOB_TABLE: string };
// @ts-expect-error the wiring lacks the renamed variable
export const renamedOnSchemaSide: Renamed = { JOBS_TABLE: "jobs" };

// A service reading a field removed from a shared domain schema does not compile.
type JobWithoutStatus = Omit<JobRecord, "status">;
export const readsRemovedField = (job: JobWithoutStatus): string =>
  // @ts-expect-error `status` was removed from the record the backend reads
  job.status;
type MessageWithoutStrategy = Omit<BacktestJobMessage, "strategyId">;
export const readsRemovedMessageField = (message: MessageWithoutStrategy): unknown =>
  // @ts-expect-error `strategyId` was removed from the message strategy-service reads
  message.strategyId;
