/** The job record of the jobs table and its status machine (docs/runtime-contracts.md, "Status of a job"). */
import * as z from "zod";
import { IsoDateTime } from "./common";

export const JobStatus = z.enum(["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]);
export type JobStatus = z.infer<typeof JobStatus>;

/** The statuses a job may move to from each status. Terminal statuses have none. */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  PENDING: ["RUNNING", "FAILED", "CANCELLED"],
  RUNNING: ["COMPLETED", "FAILED", "CANCELLED"],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
};

/** Whether `from -> to` is allowed by {@link JOB_TRANSITIONS}. */
export function isLegalTransition(from: JobStatus, to: JobStatus): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

/** Whether a status is final (no transition leaves it). */
export function isTerminalStatus(status: JobStatus): boolean {
  return JOB_TRANSITIONS[status].length === 0;
}

/** What a job does: a backtest (queue + ECS task) or a model retraining (Step Functions). */
export const JobKind = z.enum(["backtest", "retraining"]);
export type JobKind = z.infer<typeof JobKind>;

/** Metrics a finished backtest reports. `maxDrawdown` is a fraction (0.25 = 25 %). */
export const BacktestMetrics = z.object({
  totalReturn: z.number().finite(),
  sharpe: z.number().finite(),
  maxDrawdown: z.number().min(0).max(1),
  trades: z.number().int().min(0),
});
export type BacktestMetrics = z.infer<typeof BacktestMetrics>;

/**
 * An item of the jobs table. Unknown attributes are kept (loose object) so a writer can add attributes
 * without breaking older readers.
 */
export const JobRecord = z.looseObject({
  jobId: z.string().min(1),
  kind: JobKind,
  status: JobStatus,
  /** Incremented by every write; writes are conditional on the version read. */
  version: z.number().int().min(1),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** The validated request that created the job (a BacktestJobMessage or retraining execution input). */
  request: z.record(z.string(), z.unknown()).optional(),
  /** Why the last transition happened (free text, e.g. an ECS stop reason). */
  reason: z.string().optional(),
  error: z.string().optional(),
  metrics: BacktestMetrics.optional(),
  /** S3 key of the result document in the artifacts bucket. */
  resultKey: z.string().optional(),
  /** ARN of the ECS task running the job. */
  taskArn: z.string().optional(),
  modelName: z.string().optional(),
  /** When backtest-consumer recorded the result message (makes redelivery a no-op). */
  resultRecordedAt: IsoDateTime.optional(),
  /** When the completion notification was published (so it is published once). */
  notifiedAt: IsoDateTime.optional(),
  /** Epoch seconds; the table's TTL attribute. */
  expiresAt: z.number().int().optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;
