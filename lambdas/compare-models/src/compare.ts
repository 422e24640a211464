/**
 * Candidate vs champion on one metric of their MLflow training runs. A missing candidate (or one without
 * the metric) is an error: training was supposed to register it, and the workflow must fail loudly rather
 * than report "not promoted".
 */

import type { CompareModelsOutput } from "@tradai/contracts";
import type { MlflowClient, ModelVersion } from "@tradai/lambda-common";
import type { Comparison } from "./config";

export const CHAMPION_ALIAS = "champion";
export const CANDIDATE_ALIAS = "candidate";

/** The model has no `candidate` version, or the candidate cannot be evaluated. */
export class CandidateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CandidateError";
  }
}

export async function compareModels(
  mlflow: MlflowClient,
  modelName: string,
  how: Comparison,
): Promise<CompareModelsOutput> {
  const candidate = await mlflow.getModelVersionByAlias(modelName, CANDIDATE_ALIAS);
  if (!candidate) {
    throw new CandidateError(
      `model ${modelName} has no ${CANDIDATE_ALIAS} version: training must register one before compare-models`,
    );
  }
  const candidateValue = await metricOf(mlflow, candidate, how.metric);
  if (candidateValue === undefined) {
    throw new CandidateError(
      `${CANDIDATE_ALIAS} version ${candidate.version} of ${modelName} has no metric ${how.metric} on its training run`,
    );
  }
  const base = { candidateVersion: candidate.version };

  const champion = await mlflow.getModelVersionByAlias(modelName, CHAMPION_ALIAS);
  if (!champion) {
    return {
      ...base,
      championVersion: null,
      promote: true,
      reasons: [
        `no ${CHAMPION_ALIAS} yet: ${CANDIDATE_ALIAS} version ${candidate.version} becomes the first`,
      ],
    };
  }
  const verdict = { ...base, championVersion: champion.version };
  if (champion.version === candidate.version) {
    return {
      ...verdict,
      promote: false,
      reasons: [`${CANDIDATE_ALIAS} version ${candidate.version} already is the ${CHAMPION_ALIAS}`],
    };
  }
  const championValue = await metricOf(mlflow, champion, how.metric);
  if (championValue === undefined) {
    return {
      ...verdict,
      promote: false,
      reasons: [
        `${CHAMPION_ALIAS} version ${champion.version} has no metric ${how.metric}: not comparable, promote by hand if intended`,
      ],
    };
  }

  const improvement =
    how.direction === "higher" ? candidateValue - championValue : championValue - candidateValue;
  const promote = improvement > 0 && improvement >= how.minImprovement;
  const summary =
    `${how.metric}: ${CANDIDATE_ALIAS} v${candidate.version} ${fmt(candidateValue)} vs ${CHAMPION_ALIAS} ` +
    `v${champion.version} ${fmt(championValue)} (${how.direction} is better), improvement ${fmt(improvement)}`;
  const rule = promote
    ? `meets the minimum improvement ${how.minImprovement}`
    : improvement > 0
      ? `below the minimum improvement ${how.minImprovement}`
      : `${CANDIDATE_ALIAS} is not better`;
  return { ...verdict, promote, reasons: [summary, rule] };
}

async function metricOf(
  mlflow: MlflowClient,
  version: ModelVersion,
  metric: string,
): Promise<number | undefined> {
  if (!version.runId) return undefined;
  const value = (await mlflow.getRun(version.runId)).metrics[metric];
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** Four decimals, without float noise (0.30000000000000004 -> 0.3). */
const fmt = (value: number): string => String(Math.round(value * 10_000) / 10_000);
