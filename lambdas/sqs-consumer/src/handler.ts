/**
 * sqs-consumer: consumes the backtest-jobs queue. Each message becomes a RUNNING job with its ECS task;
 * a failing record is reported as a batch item failure so only it is retried (and eventually dead-lettered).
 */
import { metrics, sqsBatchHandler } from "@tradai/lambda-common";
import { processJobRecord } from "./process-job";

export const handler = sqsBatchHandler(
  async (record) => {
    const outcome = await processJobRecord(record);
    metrics.addMetric(outcome === "started" ? "BacktestsStarted" : "BacktestMessagesSkipped", "Count", 1);
  },
  {
    name: "sqs-consumer",
    failureMessage: "backtest job message failed",
    failureMetric: "BacktestMessagesFailed",
  },
);
