/** The status changes update-status performs. */

import { IllegalTransitionError, JobStore } from "@tradai/aws-clients";
import { isTerminalStatus, type JobRecord, type UpdateStatusInput } from "@tradai/contracts";
import { dynamo, logger } from "@tradai/lambda-common";
import { config } from "./config";
import { taskOutcome } from "./ecs-outcome";
import type { EcsTaskStateChange } from "./events";

const store = () => new JobStore({ tableName: config().JOBS_TABLE, client: dynamo });

/**
 * A direct request (Step Functions, other functions). Asking for the status the job already has is a
 * no-op that returns the job (a retried state is harmless); any other illegal change throws.
 * @throws JobNotFoundError, IllegalTransitionError
 */
export async function applyStatusRequest(input: UpdateStatusInput): Promise<JobRecord> {
  try {
    return await store().transition(input.jobId, input.status, input.reason ? { reason: input.reason } : {});
  } catch (error) {
    if (error instanceof IllegalTransitionError && error.from === input.status) {
      logger.info("job already has the requested status", { jobId: input.jobId, status: input.status });
      return store().require(input.jobId);
    }
    throw error;
  }
}

export interface EcsUpdateResult {
  changed: boolean;
  jobId?: string;
  status?: string;
  note: string;
}

/**
 * An ECS task state change: when a task started for a job (`startedBy = jobId`) stops, the job becomes
 * COMPLETED or FAILED. Other tasks, other states, and jobs already finished (the result message usually
 * arrives first) are acknowledged without a change.
 * @throws IllegalTransitionError when the job is in a non-terminal state the outcome cannot follow
 */
export async function applyTaskStateChange(event: EcsTaskStateChange): Promise<EcsUpdateResult> {
  const { detail } = event;
  if (detail.lastStatus !== "STOPPED")
    return { changed: false, note: `task is ${detail.lastStatus}, not STOPPED` };
  const jobId = detail.startedBy;
  // ECS services start their tasks as `ecs-svc/<id>`: those are not jobs.
  if (!jobId || jobId.startsWith("ecs-svc/"))
    return { changed: false, note: "task was not started for a job" };

  const jobs = store();
  const job = await jobs.get(jobId);
  if (!job) {
    logger.warn("stopped task names a job that does not exist", { jobId, taskArn: detail.taskArn });
    return { changed: false, jobId, note: "job not found" };
  }
  if (isTerminalStatus(job.status)) {
    return { changed: false, jobId, status: job.status, note: `job already ${job.status}` };
  }
  const outcome = taskOutcome(detail, config().BACKTEST_CONTAINER_NAME);
  try {
    const updated = await jobs.transition(jobId, outcome.status, (current) => ({
      reason: outcome.reason,
      taskArn: current.taskArn ?? detail.taskArn,
      ...(outcome.status === "FAILED" ? { error: outcome.reason } : {}),
    }));
    return { changed: true, jobId, status: updated.status, note: outcome.reason };
  } catch (error) {
    // A result message finished the job between our read and write: nothing left to do.
    if (error instanceof IllegalTransitionError && isTerminalStatus(error.from)) {
      return { changed: false, jobId, status: error.from, note: `job already ${error.from}` };
    }
    throw error;
  }
}
