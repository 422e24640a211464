/** One cleanup run: overdue tasks, stuck jobs, expired artifacts, each independent of the others. */
import { JobStore } from "@tradai/aws-clients";
import { dynamo, logger } from "@tradai/lambda-common";
import { type ArtifactCleanup, deleteExpiredArtifacts } from "./artifacts";
import type { CleanupEnv } from "./config";
import { failStuckJobs, type JobCleanup } from "./jobs";
import { stopOverdueTasks, type TaskCleanup } from "./tasks";

export interface CleanupReport {
  dryRun: boolean;
  tasks?: TaskCleanup;
  jobs?: JobCleanup;
  artifacts?: ArtifactCleanup;
  /** Parts that failed, with the reason; the others still ran. */
  failures: { part: "tasks" | "jobs" | "artifacts"; error: string }[];
}

export async function runCleanup(env: CleanupEnv, dryRun: boolean, now: Date): Promise<CleanupReport> {
  const report: CleanupReport = { dryRun, failures: [] };
  const attempt = async <K extends "tasks" | "jobs" | "artifacts">(
    part: K,
    work: () => Promise<NonNullable<CleanupReport[K]>>,
  ) => {
    try {
      report[part] = await work();
    } catch (error) {
      report.failures.push({ part, error: (error as Error).message });
      logger.error(`cleanup of ${part} failed`, { error: error as Error });
    }
  };
  await attempt("tasks", () =>
    stopOverdueTasks(env.ECS_CLUSTER, env.BACKTEST_MAX_RUNTIME_MINUTES, now, dryRun),
  );
  await attempt("jobs", () =>
    failStuckJobs(
      new JobStore({ tableName: env.JOBS_TABLE, client: dynamo }),
      env.JOB_STUCK_MINUTES,
      now,
      dryRun,
    ),
  );
  await attempt("artifacts", () =>
    deleteExpiredArtifacts(env.ARTIFACTS_BUCKET, env.ARTIFACT_RETENTION_DAYS, now, dryRun),
  );
  return report;
}
