/**
 * Restores the champion that the latest promotion replaced. The deployment history is replayed into a
 * stack of champions (see `championStack`), so consecutive rollbacks keep walking back; with fewer than
 * two champions on record there is nothing to restore and the rollback is refused.
 */
import { championStack, logger, type MlflowClient, type ModelDeploymentStore } from "@tradai/lambda-common";

export const CHAMPION_ALIAS = "champion";

/** There is no earlier deployment to return to. */
export class NoPreviousDeploymentError extends Error {
  constructor(
    readonly modelName: string,
    detail: string,
  ) {
    super(`cannot roll back ${modelName}: no previous deployment (${detail})`);
    this.name = "NoPreviousDeploymentError";
  }
}

export interface RollbackResult {
  modelName: string;
  /** The version that is champion again. */
  version: string;
  /** The version it replaced. */
  previousVersion: string;
  jobId: string;
}

export async function rollback(
  request: { modelName: string; jobId: string; reason: string },
  deps: { mlflow: MlflowClient; deployments: ModelDeploymentStore },
): Promise<RollbackResult> {
  const { modelName, jobId } = request;
  const history = await deps.deployments.history(modelName);
  const done = history.find((d) => d.jobId === jobId && d.action === "rollback");
  if (done) {
    logger.info("rollback already recorded by this request; making sure the alias points at it", { ...done });
    await deps.mlflow.setAlias(modelName, CHAMPION_ALIAS, done.version);
    return { modelName, version: done.version, previousVersion: done.previousVersion ?? "", jobId };
  }

  const stack = championStack(history);
  const current = stack[stack.length - 1];
  const target = stack[stack.length - 2];
  if (current === undefined || target === undefined) {
    throw new NoPreviousDeploymentError(
      modelName,
      history.length === 0
        ? "no deployment is recorded"
        : `only version ${current} is on record; it has no predecessor`,
    );
  }
  if (!(await deps.mlflow.getModelVersion(modelName, target))) {
    throw new NoPreviousDeploymentError(modelName, `version ${target} no longer exists in MLflow`);
  }
  const live = await deps.mlflow.getModelVersionByAlias(modelName, CHAMPION_ALIAS);
  if (live?.version !== current) {
    logger.warn("champion alias differs from the recorded deployment; restoring the recorded predecessor", {
      modelName,
      alias: live?.version ?? null,
      recorded: current,
    });
  }

  const record = await deps.deployments.record({
    modelName,
    version: target,
    previousVersion: current,
    jobId,
    action: "rollback",
  });
  await deps.mlflow.setAlias(modelName, CHAMPION_ALIAS, target);
  logger.info("model rolled back", { ...record, reason: request.reason });
  return { modelName, version: target, previousVersion: current, jobId };
}
