/** Starting (and finding) the ECS task that runs one backtest. */
import { ListTasksCommand, RunTaskCommand, type TaskOverride } from "@aws-sdk/client-ecs";
import {
  type BacktestJobMessage,
  ECS_MAX_OVERRIDES_BYTES,
  jsonBytes,
  type LaunchVariable,
} from "@tradai/contracts";
import { ecs, InvalidEventError } from "@tradai/lambda-common";
import type { Config } from "./config";

/** RunTask reported the task could not be placed (capacity, bad subnet...); the message is retried. */
export class TaskStartError extends Error {
  constructor(jobId: string, reasons: string) {
    super(`job ${jobId}: ECS could not start the backtest task: ${reasons}`);
    this.name = "TaskStartError";
  }
}

/** The task's overrides: strategy-service in `backtest` mode with the validated request. */
export function backtestOverrides(job: BacktestJobMessage, cfg: Config): TaskOverride {
  // Exactly what the backtest task definition leaves to its launcher (@tradai/contracts): a variable
  // renamed in strategy-service's schema fails to compile here.
  const launch: Record<LaunchVariable<"backtest">, string> = {
    MODE: "backtest",
    JOB_ID: job.jobId,
    JOB_REQUEST: JSON.stringify(job),
  };
  return {
    containerOverrides: [
      {
        name: cfg.BACKTEST_CONTAINER_NAME,
        environment: Object.entries(launch).map(([name, value]) => ({ name, value })),
      },
    ],
  };
}

/**
 * The overrides of a job's task, checked against ECS's limit before anything is written for the job.
 * @throws InvalidEventError when they would exceed {@link ECS_MAX_OVERRIDES_BYTES}
 */
export function checkedOverrides(job: BacktestJobMessage, cfg: Config, what: string): TaskOverride {
  const overrides = backtestOverrides(job, cfg);
  const bytes = jsonBytes(overrides);
  if (bytes > ECS_MAX_OVERRIDES_BYTES) {
    throw new InvalidEventError(what, [
      {
        path: "parameters",
        message: `the task's ECS overrides would be ${bytes} bytes; ECS takes at most ${ECS_MAX_OVERRIDES_BYTES}`,
      },
    ]);
  }
  return overrides;
}

/**
 * Starts the backtest task: strategy-service in `backtest` mode with the validated request, tagged and
 * `startedBy` the job id so update-status can map its state changes back to the job.
 * @returns the task ARN
 */
export async function startBacktestTask(
  job: BacktestJobMessage,
  cfg: Config,
  overrides: TaskOverride = backtestOverrides(job, cfg),
): Promise<string> {
  const out = await ecs().send(
    new RunTaskCommand({
      cluster: cfg.ECS_CLUSTER,
      taskDefinition: cfg.BACKTEST_TASK_DEFINITION,
      launchType: "FARGATE",
      count: 1,
      startedBy: job.jobId,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: cfg.TASK_SUBNETS,
          securityGroups: cfg.TASK_SECURITY_GROUPS,
          assignPublicIp: "DISABLED",
        },
      },
      overrides,
      tags: [
        { key: "JobId", value: job.jobId },
        { key: "StrategyId", value: job.strategyId },
      ],
      propagateTags: "TASK_DEFINITION",
    }),
  );
  const arn = out.tasks?.[0]?.taskArn;
  if (!arn) {
    const reasons = (out.failures ?? []).map(
      (f) => `${f.reason ?? "unknown"}${f.detail ? ` (${f.detail})` : ""}`,
    );
    throw new TaskStartError(job.jobId, reasons.join("; ") || "no task returned");
  }
  return arn;
}

/** The ARN of a task already started for the job (a redelivered message after a crash), if any. */
export async function findBacktestTask(jobId: string, cfg: Config): Promise<string | undefined> {
  const out = await ecs().send(new ListTasksCommand({ cluster: cfg.ECS_CLUSTER, startedBy: jobId }));
  return out.taskArns?.[0];
}
