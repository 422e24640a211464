/** How a stopped backtest task maps to a job status. */
import type { EcsTaskStateChange } from "./events";

export interface TaskOutcome {
  status: "COMPLETED" | "FAILED";
  /** Why, for the job record: the failing container and code, or ECS's stop reason. */
  reason: string;
}

/**
 * COMPLETED when the deciding container(s) exited with code 0, FAILED otherwise (non-zero code, or no
 * code at all because the task never started or was killed).
 */
export function taskOutcome(detail: EcsTaskStateChange["detail"], containerName?: string): TaskOutcome {
  const deciding = containerName
    ? detail.containers.filter((c) => c.name === containerName)
    : detail.containers;
  const stopped = detail.stoppedReason ?? detail.stopCode ?? "task stopped";
  if (deciding.length === 0) {
    return { status: "FAILED", reason: `container ${containerName ?? "(any)"} not in task; ${stopped}` };
  }
  const failed = deciding.find((c) => c.exitCode !== 0);
  if (!failed) return { status: "COMPLETED", reason: stopped };
  const code = failed.exitCode === undefined ? "no exit code" : `exit code ${failed.exitCode}`;
  return {
    status: "FAILED",
    reason: `container ${failed.name} ${code}${failed.reason ? ` (${failed.reason})` : ""}; ${stopped}`,
  };
}
