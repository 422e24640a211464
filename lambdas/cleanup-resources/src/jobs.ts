/** Marking RUNNING jobs that stopped making progress FAILED, through the job store. */
import { IllegalTransitionError, type JobStore } from "@tradai/aws-clients";
import { logger } from "@tradai/lambda-common";
import { selectStuckJobs } from "./select";

/** The job changed since it was listed (it moved on or was updated recently): leave it alone. */
class NoLongerStuck extends Error {}

export interface JobCleanup {
  stuck: string[];
  failed: number;
  /** Jobs that finished or progressed between the listing and the write. */
  skipped: string[];
}

/**
 * Lists RUNNING jobs last updated before the cutoff and moves each to FAILED. The store re-reads the job
 * and writes under its version, and the staleness is checked again on that fresh read, so a job that
 * completed or reported progress in the meantime is never overwritten.
 */
export async function failStuckJobs(
  store: JobStore,
  stuckMinutes: number,
  now: Date,
  dryRun: boolean,
): Promise<JobCleanup> {
  const cutoff = new Date(now.getTime() - stuckMinutes * 60_000);
  const stuck = selectStuckJobs(await store.listByStatus("RUNNING", cutoff), now, stuckMinutes);
  const result: JobCleanup = { stuck: stuck.map((j) => j.jobId), failed: 0, skipped: [] };
  for (const job of stuck) {
    if (dryRun) {
      logger.info("dry run: would mark stuck job FAILED", { jobId: job.jobId, updatedAt: job.updatedAt });
      continue;
    }
    try {
      await store.transition(job.jobId, "FAILED", (current) => {
        if (Date.parse(current.updatedAt) >= cutoff.getTime()) throw new NoLongerStuck();
        const reason = `no progress since ${current.updatedAt} (limit ${stuckMinutes} min); marked FAILED by cleanup-resources`;
        return { reason, error: reason };
      });
      result.failed++;
      logger.info("marked stuck job FAILED", { jobId: job.jobId, updatedAt: job.updatedAt });
    } catch (error) {
      if (!(error instanceof NoLongerStuck || error instanceof IllegalTransitionError)) throw error;
      result.skipped.push(job.jobId);
      logger.info("job changed since listing, left alone", { jobId: job.jobId });
    }
  }
  return result;
}
