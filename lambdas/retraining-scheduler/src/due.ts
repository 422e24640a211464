/** Whether a model is due for retraining. */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { JobStore } from "@tradai/aws-clients";
import type { JobRecord, RetrainingModelConfig } from "@tradai/contracts";
import { dynamo } from "@tradai/lambda-common";

export interface DueDecision {
  due: boolean;
  reason: string;
}

const DAY_MS = 86_400_000;

/** The newest deployment (promotion or rollback) of a model: the newest item under its hash key. */
async function lastDeployedAt(table: string, modelName: string): Promise<string | undefined> {
  const out = await dynamo().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "modelName = :m",
      ExpressionAttributeValues: { ":m": modelName },
      ScanIndexForward: false,
      Limit: 1,
      ProjectionExpression: "deployedAt",
    }),
  );
  const at = out.Items?.[0]?.deployedAt;
  return typeof at === "string" ? at : undefined;
}

/** Jobs of the model that are retraining runs, among `jobs`. */
const retrainingOf = (jobs: JobRecord[], modelName: string, except: string) =>
  jobs.filter((j) => j.kind === "retraining" && j.modelName === modelName && j.jobId !== except);

/**
 * A model is due when no retraining of it is pending or running (other than today's own, which a re-run
 * must be able to finish starting), and it was neither deployed nor successfully retrained within
 * `maxAgeDays` of `now`. A failed retraining does not count: the model is tried again on the next run.
 */
export async function isDue(
  model: RetrainingModelConfig,
  now: Date,
  todaysJobId: string,
  deps: { store: JobStore; deploymentsTable: string; active: JobRecord[] },
): Promise<DueDecision> {
  const inProgress = retrainingOf(deps.active, model.modelName, todaysJobId);
  if (inProgress.length > 0) {
    return { due: false, reason: `retraining ${inProgress[0]?.jobId} is ${inProgress[0]?.status}` };
  }
  const cutoff = new Date(now.getTime() - model.maxAgeDays * DAY_MS);
  const deployedAt = await lastDeployedAt(deps.deploymentsTable, model.modelName);
  if (deployedAt && Date.parse(deployedAt) > cutoff.getTime()) {
    return { due: false, reason: `deployed ${deployedAt}, within ${model.maxAgeDays} days` };
  }
  const recent = retrainingOf(
    await deps.store.listByStatus("COMPLETED", undefined, cutoff),
    model.modelName,
    todaysJobId,
  );
  if (recent.length > 0) {
    return { due: false, reason: `retrained by ${recent[0]?.jobId} within ${model.maxAgeDays} days` };
  }
  return {
    due: true,
    reason: deployedAt
      ? `last deployed ${deployedAt}, older than ${model.maxAgeDays} days`
      : "never deployed",
  };
}
