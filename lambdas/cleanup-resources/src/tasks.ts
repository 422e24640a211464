/** Stopping ECS tasks started for jobs that run past `BACKTEST_MAX_RUNTIME_MINUTES`. */
import { DescribeTasksCommand, paginateListTasks, StopTaskCommand, type Task } from "@aws-sdk/client-ecs";
import { ecs, logger } from "@tradai/lambda-common";
import { type OverdueTask, selectOverdueTasks } from "./select";

/** DescribeTasks takes at most 100 tasks per call. */
const DESCRIBE_BATCH = 100;

/** Every task of the cluster that is meant to be running. */
async function runningTasks(cluster: string): Promise<Task[]> {
  const arns: string[] = [];
  for await (const page of paginateListTasks({ client: ecs() }, { cluster, desiredStatus: "RUNNING" })) {
    arns.push(...(page.taskArns ?? []));
  }
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
    const out = await ecs().send(
      new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_BATCH) }),
    );
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}

export interface TaskCleanup {
  overdue: OverdueTask[];
  stopped: number;
}

export async function stopOverdueTasks(
  cluster: string,
  maxRuntimeMinutes: number,
  now: Date,
  dryRun: boolean,
): Promise<TaskCleanup> {
  const overdue = selectOverdueTasks(await runningTasks(cluster), now, maxRuntimeMinutes);
  let stopped = 0;
  for (const task of overdue) {
    if (dryRun) {
      logger.info("dry run: would stop overdue task", { ...task });
      continue;
    }
    await ecs().send(
      new StopTaskCommand({
        cluster,
        task: task.taskArn,
        // Shown as the task's stoppedReason; update-status records it on the job.
        reason: `cleanup-resources: ran ${task.runtimeMinutes} min, limit ${maxRuntimeMinutes} min`,
      }),
    );
    stopped++;
    logger.info("stopped overdue task", { ...task });
  }
  return { overdue, stopped };
}
