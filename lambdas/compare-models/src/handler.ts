/**
 * compare-models: a step of the retraining workflow. Input `{ modelName }` (optionally `metric`,
 * `direction`, `minImprovement` to override the environment); output `{ promote, reasons,
 * candidateVersion, championVersion }` at `$.compare`.
 */

import type { CompareModelsOutput } from "@tradai/contracts";
import { lambdaHandler, logger, MlflowClient, parseEvent } from "@tradai/lambda-common";
import { compareModels } from "./compare";
import { CompareInput, comparisonFor, config } from "./config";

export const handler = lambdaHandler("compare-models", async (event): Promise<CompareModelsOutput> => {
  const input = parseEvent(CompareInput, event, "compare-models input");
  const cfg = config();
  const how = comparisonFor(cfg, input);
  const mlflow = new MlflowClient({ baseUrl: cfg.MLFLOW_TRACKING_URI });
  const result = await compareModels(mlflow, input.modelName, how);
  logger.info("models compared", { modelName: input.modelName, ...how, ...result });
  return result;
});
