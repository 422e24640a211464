/**
 * What cleanup-resources acts on, decided from plain data so the thresholds are tested without AWS:
 * overdue job tasks, stuck jobs and expired artifacts.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Job ids are UUIDs (docs/runtime-contracts.md: sqs-consumer starts backtest tasks with
 * `startedBy = jobId`). Matching that shape keeps service deployments (`startedBy = ecs-svc/...`) and
 * anything started by hand out of reach.
 */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fields of an ECS task (DescribeTasks) the selection reads. */
export interface TaskLike {
  taskArn?: string | undefined;
  startedBy?: string | undefined;
  startedAt?: Date | undefined;
  createdAt?: Date | undefined;
  lastStatus?: string | undefined;
  desiredStatus?: string | undefined;
}

export interface OverdueTask {
  taskArn: string;
  jobId: string;
  startedAt: Date;
  runtimeMinutes: number;
}

/** Whether a task was started for a job (its `startedBy` is a job id). */
export function jobIdOf(task: TaskLike): string | undefined {
  return task.startedBy !== undefined && JOB_ID.test(task.startedBy) ? task.startedBy : undefined;
}

/**
 * Job tasks still meant to run whose runtime (since `startedAt`, or `createdAt` while still pending)
 * exceeds `maxRuntimeMinutes`. Tasks without either time cannot be judged and are left alone.
 */
export function selectOverdueTasks(
  tasks: readonly TaskLike[],
  now: Date,
  maxRuntimeMinutes: number,
): OverdueTask[] {
  const overdue: OverdueTask[] = [];
  for (const task of tasks) {
    const jobId = jobIdOf(task);
    const startedAt = task.startedAt ?? task.createdAt;
    if (!task.taskArn || !jobId || !startedAt) continue;
    if (task.desiredStatus === "STOPPED" || task.lastStatus === "STOPPED") continue;
    const runtimeMinutes = (now.getTime() - startedAt.getTime()) / MINUTE_MS;
    if (runtimeMinutes > maxRuntimeMinutes) {
      overdue.push({ taskArn: task.taskArn, jobId, startedAt, runtimeMinutes: Math.floor(runtimeMinutes) });
    }
  }
  return overdue;
}

/** The fields of a job record the selection reads. */
export interface JobLike {
  jobId: string;
  status: string;
  updatedAt: string;
}

/** RUNNING jobs whose last update is more than `stuckMinutes` old. */
export function selectStuckJobs<J extends JobLike>(jobs: readonly J[], now: Date, stuckMinutes: number): J[] {
  const cutoff = now.getTime() - stuckMinutes * MINUTE_MS;
  return jobs.filter((job) => job.status === "RUNNING" && Date.parse(job.updatedAt) < cutoff);
}

/** An object listing entry (ListObjectsV2 `Contents`). */
export interface ObjectLike {
  Key?: string | undefined;
  LastModified?: Date | undefined;
}

/** Keys last modified more than `retentionDays` before `now`. */
export function selectExpiredKeys(
  objects: readonly ObjectLike[],
  now: Date,
  retentionDays: number,
): string[] {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const keys: string[] = [];
  for (const object of objects) {
    if (object.Key && object.LastModified && object.LastModified.getTime() < cutoff) keys.push(object.Key);
  }
  return keys;
}
