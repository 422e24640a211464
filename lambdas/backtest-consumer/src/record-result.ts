/** What happens to one backtest-results message. */

import { IllegalTransitionError, type JobPatch, JobStore } from "@tradai/aws-clients";
import { BacktestResultMessage, isTerminalStatus, type JobRecord } from "@tradai/contracts";
import { assertFitsSns, dynamo, logger, parseJsonEvent } from "@tradai/lambda-common";
import type { SQSRecord } from "aws-lambda";
import { config } from "./config";
import { backtestNotification, notificationAttributes, publishNotification } from "./notify";

export type ResultOutcome = "recorded" | "duplicate" | "conflict";

function resultPatch(result: BacktestResultMessage, at: string): JobPatch {
  return { metrics: result.metrics, resultKey: result.resultKey, error: result.error, resultRecordedAt: at };
}

/**
 * Records the result on the job and moves it to COMPLETED/FAILED. When update-status already moved it
 * there (the task's stop event won the race) only the result is added. The job remembers that the result
 * was recorded and the notification sent, so a redelivered message changes nothing and notifies once.
 */
async function recordOnJob(store: JobStore, result: BacktestResultMessage): Promise<JobRecord | "conflict"> {
  const at = new Date().toISOString();
  const job = await store.require(result.jobId);
  if (!isTerminalStatus(job.status)) {
    try {
      return await store.transition(job.jobId, result.status, resultPatch(result, at));
    } catch (error) {
      if (!(error instanceof IllegalTransitionError && isTerminalStatus(error.from))) throw error;
      // Finished concurrently: fall through and treat it as already terminal.
    }
  }
  const current = await store.require(result.jobId);
  if (current.status !== result.status) {
    logger.warn("job already finished with another status; result not recorded", {
      jobId: current.jobId,
      status: current.status,
      resultStatus: result.status,
    });
    return "conflict";
  }
  if (current.resultRecordedAt) return current;
  return store.update(current.jobId, (latest) => (latest.resultRecordedAt ? {} : resultPatch(result, at)));
}

/** @throws InvalidEventError for a malformed body (nothing written), JobNotFoundError, AWS errors. */
export async function processResultRecord(record: SQSRecord): Promise<ResultOutcome> {
  const result = parseJsonEvent(
    BacktestResultMessage,
    record.body,
    `backtest result message ${record.messageId}`,
  );
  const cfg = config();
  // The notification is built and checked before the job is written: a result it cannot carry is
  // rejected whole instead of being recorded and then failing to publish on every redelivery.
  const notification = backtestNotification(result, cfg.ENVIRONMENT);
  assertFitsSns(
    `notification of backtest result ${record.messageId}`,
    notification,
    notificationAttributes(notification),
  );
  const store = new JobStore({ tableName: cfg.JOBS_TABLE, client: dynamo });
  const job = await recordOnJob(store, result);
  if (job === "conflict") return "conflict";
  if (job.notifiedAt) {
    logger.info("result already recorded and notified; duplicate delivery ignored", { jobId: job.jobId });
    return "duplicate";
  }
  const messageId = await publishNotification(notification, cfg);
  await store.update(job.jobId, { notifiedAt: new Date().toISOString() });
  logger.info("backtest result recorded", {
    jobId: job.jobId,
    status: job.status,
    notificationId: messageId,
  });
  return "recorded";
}
