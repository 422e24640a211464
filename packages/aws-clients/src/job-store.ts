/**
 * The jobs table (docs/runtime-contracts.md), for every writer: the backend API creates jobs and undoes
 * them, the Lambdas move them through their statuses. One version rule: every write is conditional on the
 * `version` read and sets `version + 1`. A change with no version of its own (`transition`, `update`)
 * re-reads and re-applies itself when it loses a race, so concurrent writers never overwrite each other;
 * a change made against a version the caller read (`expectedVersion`, `delete`) is refused with
 * {@link StaleVersionError} once the job has moved on, and writes nothing.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { isLegalTransition, type JobKind, JobRecord, type JobStatus } from "@tradai/contracts";
import {
  ConcurrentUpdateError,
  IllegalTransitionError,
  JobAlreadyExistsError,
  JobNotFoundError,
  StaleVersionError,
} from "./job-errors";

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

/** A write made against the version the caller read: refused with {@link StaleVersionError} otherwise. */
export interface VersionGuard {
  expectedVersion?: number;
}

export interface JobStoreOptions {
  tableName: string;
  /**
   * The document client, or a function returning it (the Lambdas pass their lazily built shared client,
   * so a store made at module load does not build one). Built with the IAM call recorder attached.
   */
  client: DynamoDBDocumentClient | (() => DynamoDBDocumentClient);
  /**
   * Attempts of one change before {@link ConcurrentUpdateError}. Each lost race means another writer
   * succeeded, so N concurrent writers need at most N attempts; the default leaves ample room.
   */
  maxAttempts?: number;
  now?: () => Date;
  /**
   * Days after creation at which DynamoDB may delete a job (`expiresAt`, the table's TTL attribute, in
   * epoch seconds). Unset: created jobs do not expire unless the new job sets `expiresAt` itself.
   */
  ttlDays?: number;
}

const MANAGED_KEYS: readonly ManagedKey[] = ["jobId", "status", "version", "createdAt", "updatedAt"];

function stripManaged(patch: JobPatch): JobPatch {
  const copy: Record<string, unknown> = { ...patch };
  for (const key of MANAGED_KEYS) delete copy[key];
  return copy as JobPatch;
}

/** The item without attributes whose value is `undefined` (a patch's "remove"; never stored). */
function withoutUndefined(record: JobRecord): JobRecord {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as JobRecord;
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
  readonly tableName: string;
  private readonly client: () => DynamoDBDocumentClient;
  private readonly maxAttempts: number;
  private readonly now: () => Date;
  private readonly ttlDays: number | undefined;

  constructor(options: JobStoreOptions) {
    this.tableName = options.tableName;
    const client = options.client;
    this.client = typeof client === "function" ? client : () => client;
    this.maxAttempts = options.maxAttempts ?? 30;
    this.now = options.now ?? (() => new Date());
    this.ttlDays = options.ttlDays;
  }

  /**
   * Creates a job at version 1, status PENDING unless given, expiring after `ttlDays` when set.
   * @throws JobAlreadyExistsError when a job with this id exists (nothing is written).
   */
  async create(job: NewJob): Promise<JobRecord> {
    const at = this.now();
    const record = withoutUndefined(
      JobRecord.parse({
        ...(this.ttlDays === undefined
          ? {}
          : { expiresAt: Math.floor(at.getTime() / 1000) + this.ttlDays * 86_400 }),
        ...stripManaged(job),
        jobId: job.jobId,
        status: job.status ?? "PENDING",
        version: 1,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      }),
    );
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
   * Moves the job to `to` and applies `patch`, if `current -> to` is legal for the job as read (and, with
   * `expectedVersion`, only if the job is still at that version).
   * @throws JobNotFoundError, IllegalTransitionError, StaleVersionError (nothing written), ConcurrentUpdateError
   */
  transition(
    jobId: string,
    to: JobStatus,
    patch: JobPatchInput = {},
    guard: VersionGuard = {},
  ): Promise<JobRecord> {
    return this.mutate(jobId, guard, (current) => {
      if (!isLegalTransition(current.status, to)) throw new IllegalTransitionError(jobId, current.status, to);
      return { status: to, patch: typeof patch === "function" ? patch(current) : patch };
    });
  }

  /**
   * Applies `patch` without changing the status (e.g. record the ECS task ARN).
   * @throws JobNotFoundError, StaleVersionError (with `expectedVersion`), ConcurrentUpdateError
   */
  update(jobId: string, patch: JobPatchInput, guard: VersionGuard = {}): Promise<JobRecord> {
    return this.mutate(jobId, guard, (current) => ({
      status: current.status,
      patch: typeof patch === "function" ? patch(current) : patch,
    }));
  }

  /**
   * Deletes the job only while it is still at `expectedVersion` (the backend undoing a job it created
   * and could not enqueue: version 1 means nobody has touched it since).
   * @throws StaleVersionError when the job changed or is gone (nothing deleted)
   */
  async delete(jobId: string, guard: Required<VersionGuard>): Promise<void> {
    try {
      await this.client().send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { jobId },
          ConditionExpression: "#v = :read",
          ExpressionAttributeNames: { "#v": "version" },
          ExpressionAttributeValues: { ":read": guard.expectedVersion },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new StaleVersionError(jobId, guard.expectedVersion, (await this.get(jobId))?.version);
    }
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

  /**
   * Read, compute, conditional write. On a lost race: again with the fresh item, or, when the caller named
   * the version it read, {@link StaleVersionError} (the re-read shows the job moved on).
   */
  private async mutate(
    jobId: string,
    guard: VersionGuard,
    change: (current: JobRecord) => { status: JobStatus; patch: JobPatch },
  ): Promise<JobRecord> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.require(jobId);
      if (guard.expectedVersion !== undefined && current.version !== guard.expectedVersion) {
        throw new StaleVersionError(jobId, guard.expectedVersion, current.version);
      }
      const { status, patch } = change(current);
      const next = JobRecord.parse({
        ...current,
        ...stripManaged(patch),
        status,
        version: current.version + 1,
        updatedAt: this.now().toISOString(),
      });
      // `undefined` in a patch means "remove": drop those keys so the item written no longer has them.
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) delete (next as Record<string, unknown>)[key];
      }
      try {
        await this.client().send(
          new PutCommand({
            TableName: this.tableName,
            Item: withoutUndefined(next),
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
