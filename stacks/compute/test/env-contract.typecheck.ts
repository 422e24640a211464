/**
 * Seeded breaks that must fail to COMPILE: `pnpm typecheck` checks this file, and each `@ts-expect-error`
 * fails the typecheck if the line below it stops being an error, i.e. if the boundary stops catching the
 * break. Nothing here runs.
 */
import type { BacktestJobMessage, JobRecord, LambdaEnvInput } from "@tradai/contracts";
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
];

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
