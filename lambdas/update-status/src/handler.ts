/**
 * update-status: moves a job to a new status with optimistic concurrency, from a direct request
 * `{ jobId, status, reason? }` or from an EventBridge "ECS Task State Change" of a backtest task.
 */

import type { JobRecord } from "@tradai/contracts";
import { lambdaHandler, logger, parseEvent } from "@tradai/lambda-common";
import { EcsTaskStateChange, isEventBridgeEvent, UpdateStatusInput } from "./events";
import { applyStatusRequest, applyTaskStateChange, type EcsUpdateResult } from "./update";

/** Returns the job record for a direct request, or what an ECS event changed. */
export const handler = lambdaHandler("update-status", async (event): Promise<JobRecord | EcsUpdateResult> => {
  if (isEventBridgeEvent(event)) {
    const change = parseEvent(EcsTaskStateChange, event, "ECS task state change event");
    const result = await applyTaskStateChange(change);
    logger.info("ECS task state change handled", { ...result, taskArn: change.detail.taskArn });
    return result;
  }
  const request = parseEvent(UpdateStatusInput, event, "status update request");
  const job = await applyStatusRequest(request);
  logger.info("job status updated", { jobId: job.jobId, status: job.status, version: job.version });
  return job;
});
