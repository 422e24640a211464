/**
 * backtest-consumer: consumes the backtest-results queue, records each result on its job
 * (COMPLETED/FAILED, metrics, S3 key) and publishes a notification. Failing records are reported as
 * batch item failures so only they are retried.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { InvalidEventError, logger, metrics } from "@tradai/lambda-common";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processResultRecord, type ResultOutcome } from "./record-result";

const processor = new BatchProcessor(EventType.SQS);

const METRIC: Record<ResultOutcome, string> = {
  recorded: "BacktestResultsRecorded",
  duplicate: "BacktestResultsDuplicate",
  conflict: "BacktestResultsConflicting",
};

async function recordHandler(record: SQSRecord): Promise<void> {
  try {
    const outcome = await processResultRecord(record);
    metrics.addMetric(METRIC[outcome], "Count", 1);
  } catch (error) {
    logger.error("backtest result message failed", {
      messageId: record.messageId,
      invalid: error instanceof InvalidEventError,
      error: error as Error,
    });
    metrics.addMetric("BacktestResultsFailed", "Count", 1);
    throw error;
  }
}

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, context ? { context } : undefined);
  } finally {
    metrics.publishStoredMetrics();
  }
};
