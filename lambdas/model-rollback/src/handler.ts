/**
 * model-rollback: invoked by an operator (`{ modelName, jobId?, reason? }`) or a CloudWatch alarm action.
 * Moves the MLflow `champion` alias back to the version the latest promotion replaced and records
 * `action: "rollback"` in the model-deployments table; refuses when there is no earlier deployment.
 * Retry-safe like promote-model: Powertools idempotency on `[jobId, modelName]` plus a lookup by job.
 */
import {
  idempotent,
  lambdaHandler,
  logger,
  MlflowClient,
  ModelDeploymentStore,
  parseEvent,
} from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { config } from "./config";
import { RollbackEvent, toRequest } from "./input";
import { type RollbackResult, rollback } from "./rollback";

type Request = { modelName: string; jobId: string; reason: string };

async function run(request: Request): Promise<RollbackResult> {
  const cfg = config();
  return rollback(request, {
    mlflow: new MlflowClient({ baseUrl: cfg.MLFLOW_TRACKING_URI }),
    deployments: new ModelDeploymentStore({ tableName: cfg.MODEL_DEPLOYMENTS_TABLE }),
  });
}

export type RollbackOutput = RollbackResult | { skipped: true; reason: string };

export const handler = lambdaHandler<RollbackOutput, Context>("model-rollback", async (event, context) => {
  const request = toRequest(parseEvent(RollbackEvent, event, "model-rollback event"), context);
  if (request.kind === "ignore") {
    logger.info("nothing to roll back", { reason: request.reason });
    return { skipped: true, reason: request.reason };
  }
  const cfg = config();
  const once = idempotent("model-rollback", (r: Request) => run(r), {
    tableName: cfg.IDEMPOTENCY_TABLE,
    eventKey: "[jobId, modelName]",
  });
  const { kind: _kind, ...payload } = request;
  return once(payload, context);
});
