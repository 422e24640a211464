/** What the jobs-table store refuses, as classes callers tell apart (the backend and the Lambdas alike). */
import type { JobStatus } from "@tradai/contracts";

export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} does not exist`);
    this.name = "JobNotFoundError";
  }
}

export class JobAlreadyExistsError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} already exists`);
    this.name = "JobAlreadyExistsError";
  }
}

/** The requested status change is not in the transition table for the job's current status. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly jobId: string,
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`job ${jobId}: illegal status transition ${from} -> ${to}`);
    this.name = "IllegalTransitionError";
  }
}

/**
 * A write made against a version the caller had read is refused: the job has moved on (or is gone) since.
 * Nothing was written; the caller decides from the job as it now is.
 */
export class StaleVersionError extends Error {
  constructor(
    readonly jobId: string,
    readonly expected: number,
    /** The version the table holds now; undefined when the job no longer exists. */
    readonly actual: number | undefined,
  ) {
    super(
      `job ${jobId}: version ${expected} is stale (${actual === undefined ? "the job is gone" : `now ${actual}`})`,
    );
    this.name = "StaleVersionError";
  }
}

/** Optimistic concurrency gave up: other writers kept changing the job between our read and write. */
export class ConcurrentUpdateError extends Error {
  constructor(
    readonly jobId: string,
    readonly attempts: number,
  ) {
    super(`job ${jobId}: still conflicting with concurrent writers after ${attempts} attempts`);
    this.name = "ConcurrentUpdateError";
  }
}
