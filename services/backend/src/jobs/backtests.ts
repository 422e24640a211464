import { randomUUID } from "node:crypto";
import { type JobStore, StaleVersionError } from "@tradai/aws-clients";
import { BacktestJobMessage, BacktestRequest, type JobRecord } from "@tradai/contracts";
import { HttpError, type Logger } from "@tradai/service-common";
import type { BacktestQueue } from "./queue";

/** Body of `POST /v1/backtests`: the shared request, without the job id the API assigns. */
export { BacktestRequest };

export interface SubmitDeps {
  /** The jobs table; it stamps the times and the TTL (`expiresAt`) of the job it creates. */
  jobs: JobStore;
  queue: BacktestQueue;
  log: Logger;
  newId?: () => string;
}

/**
 * Creates a backtest job as one transaction of intent across DynamoDB and SQS, which share no
 * transaction: the PENDING job is written first (so a consumer never receives a message whose job does
 * not exist), then the message is sent; if sending fails the job is deleted again, or, should that fail
 * too, marked FAILED so it can never look like work waiting to run. Both undo writes are made against the
 * version created: a job a consumer already took (the send may have failed after delivery) is left alone.
 */
export async function submitBacktest(
  request: BacktestRequest,
  by: string,
  deps: SubmitDeps,
): Promise<JobRecord> {
  const jobId = (deps.newId ?? randomUUID)();
  const message = BacktestJobMessage.parse({ ...request, jobId });
  let job: JobRecord;
  try {
    job = await deps.jobs.create({ jobId, kind: "backtest", request: message, createdBy: by });
  } catch (error) {
    deps.log.error({ err: error, jobId }, "could not write the job record; nothing was enqueued");
    throw new HttpError(503, "could not create the job, try again");
  }
  try {
    const messageId = await deps.queue.send(message);
    deps.log.info({ jobId, messageId, strategyId: request.strategyId }, "backtest job enqueued");
    return job;
  } catch (sendError) {
    deps.log.error({ err: sendError, jobId }, "could not enqueue the job; undoing the job record");
    await undo(
      job,
      deps,
      `enqueue failed: ${sendError instanceof Error ? sendError.message : String(sendError)}`,
    );
    throw new HttpError(503, "could not enqueue the job, try again");
  }
}

async function undo(job: JobRecord, deps: SubmitDeps, reason: string): Promise<void> {
  const { jobId, version } = job;
  try {
    await deps.jobs.delete(jobId, { expectedVersion: version });
    return;
  } catch (deleteError) {
    if (deleteError instanceof StaleVersionError) {
      deps.log.warn({ jobId }, "job changed before it could be deleted; leaving it");
      return;
    }
    deps.log.error({ err: deleteError, jobId }, "could not delete the job; marking it FAILED");
  }
  try {
    await deps.jobs.transition(jobId, "FAILED", { error: reason }, { expectedVersion: version });
  } catch (failError) {
    // Both undo paths failed (or the job moved on meanwhile): a record left PENDING without a message is
    // marked FAILED by cleanup-resources as a stuck job.
    deps.log.error({ err: failError, jobId }, "could not mark the job FAILED either");
  }
}
