/**
 * promote-model: a step of the retraining workflow. Input `{ jobId, modelName, candidateVersion }`;
 * output `{ modelName, version, previousVersion }` at `$.promotion`. Retry-safe twice over: Powertools
 * idempotency (keyed on jobId + modelName, validated on candidateVersion) returns a completed run's result,
 * and the deployment record is looked up by job before anything is written.
 */

import { PromoteModelInput, type PromoteModelOutput } from "@tradai/contracts";
import {
  idempotent,
  lambdaHandler,
  MlflowClient,
  ModelDeploymentStore,
  parseEvent,
} from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { config } from "./config";
import { promote } from "./promote";

async function run(input: PromoteModelInput): Promise<PromoteModelOutput> {
  const cfg = config();
  return promote(input, {
    mlflow: new MlflowClient({ baseUrl: cfg.MLFLOW_TRACKING_URI }),
    deployments: new ModelDeploymentStore({ tableName: cfg.MODEL_DEPLOYMENTS_TABLE }),
  });
}

export const handler = lambdaHandler<PromoteModelOutput, Context>("promote-model", async (event, context) => {
  const input = parseEvent(PromoteModelInput, event, "promote-model input");
  const cfg = config();
  const once = idempotent("promote-model", (i: PromoteModelInput) => run(i), {
    tableName: cfg.IDEMPOTENCY_TABLE,
    eventKey: "[jobId, modelName]",
    validationKey: "candidateVersion",
  });
  return once(input, context);
});
