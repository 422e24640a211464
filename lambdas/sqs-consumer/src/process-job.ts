/** What happens to one backtest-jobs message. */

import { JobAlreadyExistsError, JobStore } from "@tradai/aws-clients";
import { BacktestJobMessage, type JobRecord } from "@tradai/contracts";
import { dynamo, logger, parseJsonEvent } from "@tradai/lambda-common";
import type { SQSRecord } from "aws-lambda";
import { checkedOverrides, findBacktestTask, startBacktestTask } from "./backtest-task";
import { config } from "./config";

export type JobOutcome = "started" | "already-started" | "skipped";

/** The job, created PENDING from the message when the producer did not create it first. */
async function ensureJob(store: JobStore, message: BacktestJobMessage): Promise<JobRecord> {
  const existing = await store.get(message.jobId);
  if (existing) return existing;
  try {
    return await store.create({ jobId: message.jobId, kind: "backtest", request: message });
  } catch (error) {
    if (error instanceof JobAlreadyExistsError) return store.require(message.jobId);
    throw error;
  }
}

/**
 * Validates the message, marks the job RUNNING and starts its ECS task. Safe to redeliver: a job that is
 * already RUNNING with a task is left alone, one RUNNING without a recorded task (the previous attempt
 * died after the transition) gets the task it is missing, a finished or cancelled job is skipped.
 * @throws InvalidEventError for a malformed body (nothing is written), or the AWS error to retry on.
 */
export async function processJobRecord(record: SQSRecord): Promise<JobOutcome> {
  const what = `backtest job message ${record.messageId}`;
  const message = parseJsonEvent(BacktestJobMessage, record.body, what);
  const cfg = config();
  const overrides = checkedOverrides(message, cfg, what);
  const store = new JobStore({ tableName: cfg.JOBS_TABLE, client: dynamo });
  const job = await ensureJob(store, message);

  if (job.status === "RUNNING" && job.taskArn) {
    logger.info("backtest already started; duplicate delivery ignored", {
      jobId: job.jobId,
      taskArn: job.taskArn,
    });
    return "already-started";
  }
  if (job.status !== "PENDING" && job.status !== "RUNNING") {
    logger.warn("job is no longer pending; not starting a backtest", {
      jobId: job.jobId,
      status: job.status,
    });
    return "skipped";
  }
  if (job.status === "PENDING") {
    // Throws IllegalTransitionError when a cancellation or another delivery won the race: the record
    // fails and its next delivery re-evaluates the job as it then is.
    await store.transition(job.jobId, "RUNNING", { request: message });
  }
  const taskArn =
    (await findBacktestTask(job.jobId, cfg)) ?? (await startBacktestTask(message, cfg, overrides));
  await store.update(job.jobId, { taskArn });
  logger.info("backtest task started", { jobId: job.jobId, taskArn });
  return "started";
}
