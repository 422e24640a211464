/**
 * Moves the `champion` alias to the candidate version and records the deployment for rollback. The record
 * is written before the alias moves and is looked up by job first, so an invocation that is retried after
 * dying half-way finishes the same promotion instead of recording a second one.
 */

import type { PromoteModelInput, PromoteModelOutput } from "@tradai/contracts";
import { logger, type MlflowClient, type ModelDeploymentStore } from "@tradai/lambda-common";

export const CHAMPION_ALIAS = "champion";
export const CANDIDATE_ALIAS = "candidate";

/** The promotion cannot happen as asked (unknown version, job already promoted another one). */
export class PromotionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PromotionError";
  }
}

export async function promote(
  input: PromoteModelInput,
  deps: { mlflow: MlflowClient; deployments: ModelDeploymentStore },
): Promise<PromoteModelOutput> {
  const { jobId, modelName, candidateVersion } = input;
  const done = await deps.deployments.findByJob(modelName, jobId, "promote");
  if (done) {
    if (done.version !== candidateVersion) {
      throw new PromotionError(
        `job ${jobId} already promoted ${modelName} version ${done.version}; refusing to promote ${candidateVersion}`,
      );
    }
    logger.info("promotion already recorded by this job; making sure the alias points at it", { ...done });
    await deps.mlflow.setAlias(modelName, CHAMPION_ALIAS, done.version);
    await retireCandidate(deps.mlflow, modelName, done.version);
    return { modelName, version: done.version, previousVersion: done.previousVersion };
  }

  const candidate = await deps.mlflow.getModelVersion(modelName, candidateVersion);
  if (!candidate) {
    throw new PromotionError(`model ${modelName} has no version ${candidateVersion} to promote`);
  }
  const champion = await deps.mlflow.getModelVersionByAlias(modelName, CHAMPION_ALIAS);
  const previousVersion = champion?.version ?? null;
  if (previousVersion === candidateVersion) {
    logger.warn("candidate already is the champion; nothing to record", { modelName, candidateVersion });
    return { modelName, version: candidateVersion, previousVersion };
  }

  const record = await deps.deployments.record({
    modelName,
    version: candidateVersion,
    previousVersion,
    jobId,
    action: "promote",
  });
  await deps.mlflow.setAlias(modelName, CHAMPION_ALIAS, candidateVersion);
  await deps.mlflow.setModelVersionTag(modelName, candidateVersion, "tradai.promoted_by_job", jobId);
  await retireCandidate(deps.mlflow, modelName, candidateVersion);
  logger.info("model promoted", { ...record });
  return { modelName, version: candidateVersion, previousVersion };
}

/**
 * `candidate` means "trained, awaiting a decision": once promoted, the alias is removed so the next
 * workflow cannot compare a stale candidate when training registered nothing. A newer candidate
 * (registered since) keeps its alias.
 */
async function retireCandidate(mlflow: MlflowClient, modelName: string, promoted: string): Promise<void> {
  const candidate = await mlflow.getModelVersionByAlias(modelName, CANDIDATE_ALIAS);
  if (candidate?.version === promoted) await mlflow.deleteAlias(modelName, CANDIDATE_ALIAS);
}
