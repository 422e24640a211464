/** Error classes callers tell apart (bad input, job store outcomes); bad configuration is @tradai/contracts' ConfigError. */
import type { JobStatus } from "@tradai/contracts";

/** An event or message failed validation. The message lists every failing field path. */
export class InvalidEventError extends Error {
  constructor(
    readonly what: string,
    readonly errors: readonly { path: string; message: string }[],
  ) {
    super(`invalid ${what}: ${errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`);
    this.name = "InvalidEventError";
  }
}

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
