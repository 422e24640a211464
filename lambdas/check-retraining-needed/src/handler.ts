/**
 * check-retraining-needed: a step of the retraining workflow. Input is the execution input
 * `{ jobId, modelName, trigger }`; output `{ retrain, reasons }` lands at `$.check`. It decides from the
 * champion's age, its latest drift score (CloudWatch `TradAI/DriftScore`) and its training-run metrics
 * against the floors configured for the model.
 */

import { type CheckRetrainingOutput, RetrainingExecutionInput } from "@tradai/contracts";
import { lambdaHandler, logger, MlflowClient, parseEvent } from "@tradai/lambda-common";
import { config, policyFor } from "./config";
import { type DecideDeps, decide } from "./decide";
import { latestDriftScore } from "./drift";

/** Builds the handler; tests replace the clock (MLflow sets version creation times itself). */
export function createHandler(overrides: Partial<DecideDeps> = {}) {
  return lambdaHandler("check-retraining-needed", async (event): Promise<CheckRetrainingOutput> => {
    const input = parseEvent(RetrainingExecutionInput, event, "retraining execution input");
    const cfg = config();
    const policy = policyFor(cfg, input.modelName);
    const decision = await decide(input, policy, cfg, {
      mlflow: overrides.mlflow ?? new MlflowClient({ baseUrl: cfg.MLFLOW_TRACKING_URI }),
      latestDrift: overrides.latestDrift ?? latestDriftScore,
      now: overrides.now ?? (() => new Date()),
    });
    logger.info("retraining decision", { jobId: input.jobId, modelName: input.modelName, ...decision });
    return decision;
  });
}

export const handler = createHandler();
