/** One scheduler run: start today's retraining for every due model. */
import { ExecutionAlreadyExists, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { JobAlreadyExistsError, JobStore } from "@tradai/aws-clients";
import type { RetrainingExecutionInput, RetrainingModelConfig } from "@tradai/contracts";
import { dynamo, logger, sfn } from "@tradai/lambda-common";
import type { Config } from "./config";
import { isDue } from "./due";
import { executionName, scheduledJobId, utcDate } from "./naming";

export interface ModelResult {
  modelName: string;
  outcome: "started" | "already-started" | "not-due" | "failed";
  detail: string;
  executionName?: string;
  jobId?: string;
}

async function startModel(
  model: RetrainingModelConfig,
  date: string,
  cfg: Config,
  store: JobStore,
): Promise<ModelResult> {
  const name = executionName(model.modelName, date);
  const jobId = scheduledJobId(model.modelName, date);
  const input: RetrainingExecutionInput = { jobId, modelName: model.modelName, trigger: "schedule" };
  try {
    await store.create({ jobId, kind: "retraining", modelName: model.modelName, request: input });
  } catch (error) {
    if (!(error instanceof JobAlreadyExistsError)) throw error;
  }
  try {
    const out = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: cfg.RETRAINING_STATE_MACHINE_ARN,
        name,
        input: JSON.stringify(input),
      }),
    );
    return {
      modelName: model.modelName,
      outcome: "started",
      detail: out.executionArn ?? "",
      executionName: name,
      jobId,
    };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      return {
        modelName: model.modelName,
        outcome: "already-started",
        detail: "execution exists for today",
        executionName: name,
        jobId,
      };
    }
    throw error;
  }
}

/**
 * Decides and starts each configured model independently; one model's failure does not stop the others.
 * The run's time is the schedule's `time`, so a delayed delivery still belongs to its day.
 */
export async function runSchedule(now: Date, cfg: Config): Promise<ModelResult[]> {
  const store = new JobStore({ tableName: cfg.JOBS_TABLE, client: dynamo });
  const date = utcDate(now);
  const active = [...(await store.listByStatus("PENDING")), ...(await store.listByStatus("RUNNING"))];
  const results: ModelResult[] = [];
  for (const model of cfg.RETRAINING_MODELS) {
    try {
      const decision = await isDue(model, now, scheduledJobId(model.modelName, date), {
        store,
        deploymentsTable: cfg.MODEL_DEPLOYMENTS_TABLE,
        active,
      });
      if (!decision.due) {
        results.push({ modelName: model.modelName, outcome: "not-due", detail: decision.reason });
        continue;
      }
      const result = await startModel(model, date, cfg, store);
      logger.info("retraining scheduled", { ...result, why: decision.reason });
      results.push(result);
    } catch (error) {
      logger.error("scheduling retraining failed", { modelName: model.modelName, error: error as Error });
      results.push({ modelName: model.modelName, outcome: "failed", detail: (error as Error).message });
    }
  }
  return results;
}
