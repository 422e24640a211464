/**
 * sqs-consumer: consumes the backtest-jobs queue. Each message becomes a RUNNING job with its ECS task;
 * a failing record is reported as a batch item failure so only it is retried (and eventually dead-lettered).
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { InvalidEventError, logger, metrics } from "@tradai/lambda-common";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processJobRecord } from "./process-job";

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  try {
    const outcome = await processJobRecord(record);
    metrics.addMetric(outcome === "started" ? "BacktestsStarted" : "BacktestMessagesSkipped", "Count", 1);
  } catch (error) {
    logger.error("backtest job message failed", {
      messageId: record.messageId,
      invalid: error instanceof InvalidEventError,
      error: error as Error,
    });
    metrics.addMetric("BacktestMessagesFailed", "Count", 1);
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
