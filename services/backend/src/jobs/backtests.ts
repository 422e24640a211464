import { randomUUID } from "node:crypto";
import { BacktestJobMessage, BacktestRequest, type JobRecord } from "@tradai/contracts";
import { HttpError, type Logger } from "@tradai/service-common";
import type { BacktestQueue } from "./queue";
import type { JobStore } from "./store";

/** Body of `POST /v1/backtests`: the shared request, without the job id the API assigns. */
export { BacktestRequest };

export interface SubmitDeps {
  jobs: JobStore;
  queue: BacktestQueue;
  ttlDays: number;
  log: Logger;
  now?: () => Date;
  newId?: () => string;
}

/**
 * Creates a backtest job as one transaction of intent across DynamoDB and SQS, which share no
 * transaction: the PENDING job is written first (so a consumer never receives a message whose job does
 * not exist), then the message is sent; if sending fails the job is deleted again, or, should that fail
 * too, marked FAILED so it can never look like work waiting to run.
 */
export async function submitBacktest(
  request: BacktestRequest,
  by: string,
  deps: SubmitDeps,
): Promise<JobRecord> {
  const now = (deps.now ?? (() => new Date()))();
  const jobId = (deps.newId ?? randomUUID)();
  const message = BacktestJobMessage.parse({ ...request, jobId });
  const at = now.toISOString();
  const job: JobRecord = {
    jobId,
    kind: "backtest",
    status: "PENDING",
    version: 1,
    createdAt: at,
    updatedAt: at,
    request: message,
    createdBy: by,
    expiresAt: Math.floor(now.getTime() / 1000) + deps.ttlDays * 86_400,
  };
  try {
    await deps.jobs.create(job);
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
      jobId,
      deps,
      `enqueue failed: ${sendError instanceof Error ? sendError.message : String(sendError)}`,
    );
    throw new HttpError(503, "could not enqueue the job, try again");
  }
}

async function undo(jobId: string, deps: SubmitDeps, reason: string): Promise<void> {
  try {
    if (await deps.jobs.deleteIfUntouched(jobId)) return;
    deps.log.warn({ jobId }, "job changed before it could be deleted; leaving it");
    return;
  } catch (deleteError) {
    deps.log.error({ err: deleteError, jobId }, "could not delete the job; marking it FAILED");
  }
  try {
    await deps.jobs.failPending(jobId, reason, new Date().toISOString());
  } catch (failError) {
    // Both undo paths failed: the record stays PENDING without a message; cleanup-resources marks stuck jobs FAILED.
    deps.log.error({ err: failError, jobId }, "could not mark the job FAILED either");
  }
}
