/**
 * backtest-consumer: consumes the backtest-results queue, records each result on its job
 * (COMPLETED/FAILED, metrics, S3 key) and publishes a notification. Failing records are reported as
 * batch item failures so only they are retried.
 */
import { metrics, sqsBatchHandler } from "@tradai/lambda-common";
import { processResultRecord, type ResultOutcome } from "./record-result";

const METRIC: Record<ResultOutcome, string> = {
  recorded: "BacktestResultsRecorded",
  duplicate: "BacktestResultsDuplicate",
  conflict: "BacktestResultsConflicting",
};

export const handler = sqsBatchHandler(
  async (record) => {
    const outcome = await processResultRecord(record);
    metrics.addMetric(METRIC[outcome], "Count", 1);
  },
  {
    name: "backtest-consumer",
    failureMessage: "backtest result message failed",
    failureMetric: "BacktestResultsFailed",
  },
);
