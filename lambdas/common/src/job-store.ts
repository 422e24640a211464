/**
 * The jobs table (docs/runtime-contracts.md): create, read, list by status and change jobs with optimistic
 * concurrency. Every write replaces the item under the condition that its `version` is still the one read,
 * and sets `version + 1`; a lost race re-reads and re-applies the change, so concurrent writers never
 * overwrite each other's updates.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { isLegalTransition, type JobKind, JobRecord, type JobStatus } from "@tradai/contracts";
import { dynamo } from "./clients";
import {
  ConcurrentUpdateError,
  IllegalTransitionError,
  JobAlreadyExistsError,
  JobNotFoundError,
} from "./errors";

/** The GSI over `status` (hash) and `updatedAt` (range). */
export const STATUS_INDEX = "status-index";

/** Attributes the store owns; a patch cannot set them. */
type ManagedKey = "jobId" | "status" | "version" | "createdAt" | "updatedAt";

/** Attributes to set on a job; `undefined` removes an attribute. */
export type JobPatch = { [K in Exclude<keyof JobRecord, ManagedKey>]?: JobRecord[K] };

/** A patch, or a function computing it from the job as read (for read-modify-write such as appends). */
export type JobPatchInput = JobPatch | ((current: JobRecord) => JobPatch);

/** What {@link JobStore.create} needs; the store sets status (default PENDING), version and timestamps. */
export type NewJob = JobPatch & { jobId: string; kind: JobKind; status?: JobStatus };

export interface JobStoreOptions {
  tableName: string;
  client?: DynamoDBDocumentClient;
  /**
   * Attempts of one change before {@link ConcurrentUpdateError}. Each lost race means another writer
   * succeeded, so N concurrent writers need at most N attempts; the default leaves ample room.
   */
  maxAttempts?: number;
  now?: () => Date;
}

const MANAGED_KEYS: readonly ManagedKey[] = ["jobId", "status", "version", "createdAt", "updatedAt"];

function stripManaged(patch: JobPatch): JobPatch {
  const copy: Record<string, unknown> = { ...patch };
  for (const key of MANAGED_KEYS) delete copy[key];
  return copy as JobPatch;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

/** Short, jittered pause between attempts so racing writers spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * Math.random();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class JobStore {
  private readonly tableName: string;
  private readonly client: () => DynamoDBDocumentClient;
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(options: JobStoreOptions) {
    this.tableName = options.tableName;
    const explicit = options.client;
    this.client = explicit ? () => explicit : dynamo;
    this.maxAttempts = options.maxAttempts ?? 30;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Creates a job at version 1, status PENDING unless given.
   * @throws JobAlreadyExistsError when a job with this id exists (nothing is written).
   */
  async create(job: NewJob): Promise<JobRecord> {
    const at = this.now().toISOString();
    const record = JobRecord.parse({
      ...stripManaged(job),
      jobId: job.jobId,
      status: job.status ?? "PENDING",
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    try {
      await this.client().send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: "attribute_not_exists(jobId)",
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new JobAlreadyExistsError(job.jobId);
      throw error;
    }
    return record;
  }

  /** The job, or undefined when it does not exist. Reads are strongly consistent. */
  async get(jobId: string): Promise<JobRecord | undefined> {
    const out = await this.client().send(
      new GetCommand({ TableName: this.tableName, Key: { jobId }, ConsistentRead: true }),
    );
    return out.Item ? JobRecord.parse(out.Item) : undefined;
  }

  /** The job. @throws JobNotFoundError */
  async require(jobId: string): Promise<JobRecord> {
    const job = await this.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  }

  /**
   * Moves the job to `to` and applies `patch`, if `current -> to` is legal for the job as read.
   * @throws JobNotFoundError, IllegalTransitionError (nothing written), ConcurrentUpdateError
   */
  transition(jobId: string, to: JobStatus, patch: JobPatchInput = {}): Promise<JobRecord> {
    return this.mutate(jobId, (current) => {
      if (!isLegalTransition(current.status, to)) throw new IllegalTransitionError(jobId, current.status, to);
      return { status: to, patch: typeof patch === "function" ? patch(current) : patch };
    });
  }

  /**
   * Applies `patch` without changing the status (e.g. record the ECS task ARN).
   * @throws JobNotFoundError, ConcurrentUpdateError
   */
  update(jobId: string, patch: JobPatchInput): Promise<JobRecord> {
    return this.mutate(jobId, (current) => ({
      status: current.status,
      patch: typeof patch === "function" ? patch(current) : patch,
    }));
  }

  /**
   * Jobs in `status`, oldest update first; with `updatedBefore`, only those last updated before it
   * (e.g. RUNNING jobs stuck for an hour), with `updatedAfter` only those updated after it. Reads the
   * `status-index` GSI to the end.
   */
  async listByStatus(status: JobStatus, updatedBefore?: Date, updatedAfter?: Date): Promise<JobRecord[]> {
    const range =
      updatedBefore && updatedAfter
        ? " AND updatedAt BETWEEN :after AND :before"
        : updatedBefore
          ? " AND updatedAt < :before"
          : updatedAfter
            ? " AND updatedAt > :after"
            : "";
    const jobs: JobRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client().send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: STATUS_INDEX,
          KeyConditionExpression: `#s = :s${range}`,
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":s": status,
            ...(updatedBefore ? { ":before": updatedBefore.toISOString() } : {}),
            ...(updatedAfter ? { ":after": updatedAfter.toISOString() } : {}),
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) jobs.push(JobRecord.parse(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return jobs;
  }

  /** Read, compute, conditional write; on a lost race, again with the fresh item. */
  private async mutate(
    jobId: string,
    change: (current: JobRecord) => { status: JobStatus; patch: JobPatch },
  ): Promise<JobRecord> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.require(jobId);
      const { status, patch } = change(current);
      const next = JobRecord.parse({
        ...current,
        ...stripManaged(patch),
        status,
        version: current.version + 1,
        updatedAt: this.now().toISOString(),
      });
      // `undefined` in a patch means "remove": drop those keys so the document client does not keep them.
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) delete (next as Record<string, unknown>)[key];
      }
      try {
        await this.client().send(
          new PutCommand({
            TableName: this.tableName,
            Item: next,
            ConditionExpression: "#v = :read",
            ExpressionAttributeNames: { "#v": "version" },
            ExpressionAttributeValues: { ":read": current.version },
          }),
        );
        return next;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        await backoff(attempt);
      }
    }
    throw new ConcurrentUpdateError(jobId, this.maxAttempts);
  }
}
