/**
 * The SQS consumer plumbing: Powertools batch processing with partial responses, so only the records
 * that failed are retried (and eventually dead-lettered), each failure logged and counted once.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { InvalidEventError } from "./errors";
import { lambdaHandler } from "./handler";
import { logger } from "./powertools/logger";
import { metrics } from "./powertools/metrics";

export interface SqsBatchOptions {
  /** The function's name (`sqs-consumer`): a batch that fails as a whole is logged as `<name> failed`. */
  name: string;
  /** Logged (with the message id, whether the message was invalid, and the error) per failed record. */
  failureMessage: string;
  /** Metric counted once per failed record. */
  failureMetric: string;
}

/** A Lambda handler for an SQS event source mapping with `ReportBatchItemFailures`. */
export type SqsBatchHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * A handler (in the shape of {@link lambdaHandler}) running `handleRecord` on every record of the batch; a
 * record whose promise rejects is reported in `batchItemFailures`. Stored metrics are published after
 * every batch.
 */
export function sqsBatchHandler(
  handleRecord: (record: SQSRecord) => Promise<void>,
  options: SqsBatchOptions,
): SqsBatchHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      await handleRecord(record);
    } catch (error) {
      logger.error(options.failureMessage, {
        messageId: record.messageId,
        invalid: error instanceof InvalidEventError,
        error: error as Error,
      });
      metrics.addMetric(options.failureMetric, "Count", 1);
      throw error;
    }
  };
  return lambdaHandler(
    options.name,
    (event, context) =>
      processPartialResponse(event as SQSEvent, recordHandler, processor, context ? { context } : undefined),
    { publishMetrics: true },
  );
}
