/** The retraining workflow's state (docs/runtime-contracts.md, "Retraining workflow state"). */
import * as z from "zod";
import { BoundedText, IsoDateTime, JobId, ModelVersionNumber } from "./common";
import { JobStatus } from "./job";
import { ERROR_MAX_BYTES, REASON_MAX_BYTES, REASONS_MAX_COUNT } from "./limits";

/** MLflow registered model names: letters, digits, dot, dash, underscore. */
export const ModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "expected a model name (A-Z, a-z, 0-9, . _ -)");

export const RetrainingTrigger = z.enum(["schedule", "manual", "drift"]);
export type RetrainingTrigger = z.infer<typeof RetrainingTrigger>;

/** Input of a retraining execution. */
export const RetrainingExecutionInput = z.object({
  jobId: JobId,
  modelName: ModelName,
  trigger: RetrainingTrigger,
});
export type RetrainingExecutionInput = z.infer<typeof RetrainingExecutionInput>;

/** One entry of `RETRAINING_MODELS`. */
export const RetrainingModelConfig = z.object({
  modelName: ModelName,
  maxAgeDays: z.number().positive(),
});
export type RetrainingModelConfig = z.infer<typeof RetrainingModelConfig>;

/** update-status input (Step Functions and other functions). */
export const UpdateStatusInput = z.object({
  jobId: JobId,
  status: JobStatus,
  reason: BoundedText(REASON_MAX_BYTES).optional(),
});
export type UpdateStatusInput = z.infer<typeof UpdateStatusInput>;

/** check-retraining-needed output, stored at `$.check`. */
export const CheckRetrainingOutput = z.object({ retrain: z.boolean(), reasons: z.array(z.string()) });
export type CheckRetrainingOutput = z.infer<typeof CheckRetrainingOutput>;

export const CompareModelsInput = z.object({ modelName: ModelName });
export type CompareModelsInput = z.infer<typeof CompareModelsInput>;

/** compare-models output, stored at `$.compare`. */
export const CompareModelsOutput = z.object({
  promote: z.boolean(),
  reasons: z.array(z.string()),
  candidateVersion: z.string().min(1),
  championVersion: z.string().min(1).nullable(),
});
export type CompareModelsOutput = z.infer<typeof CompareModelsOutput>;

export const PromoteModelInput = z.object({
  jobId: JobId,
  modelName: ModelName,
  candidateVersion: ModelVersionNumber,
});
export type PromoteModelInput = z.infer<typeof PromoteModelInput>;

/** promote-model output, stored at `$.promotion`. `previousVersion` is null for a first promotion. */
export const PromoteModelOutput = z.object({
  modelName: ModelName,
  version: z.string().min(1),
  previousVersion: z.string().min(1).nullable(),
});
export type PromoteModelOutput = z.infer<typeof PromoteModelOutput>;

export const RetrainingOutcome = z.enum(["promoted", "not-promoted", "skipped", "failed"]);
export type RetrainingOutcome = z.infer<typeof RetrainingOutcome>;

/** notify-completion input (the workflow's final step, success and failure paths). */
export const NotifyCompletionInput = z.object({
  jobId: JobId,
  modelName: ModelName,
  outcome: RetrainingOutcome,
  reasons: z.array(BoundedText(REASON_MAX_BYTES)).max(REASONS_MAX_COUNT).optional(),
  /** Set on the failure path; Step Functions' Catch gives `{ Error, Cause }`, the workflow maps it to text. */
  error: BoundedText(ERROR_MAX_BYTES).optional(),
});
export type NotifyCompletionInput = z.infer<typeof NotifyCompletionInput>;

export const NotifyCompletionOutput = z.object({ messageId: z.string().min(1) });
export type NotifyCompletionOutput = z.infer<typeof NotifyCompletionOutput>;

/** An item of the model-deployments table: one promotion or rollback. */
export const ModelDeployment = z.object({
  modelName: ModelName,
  deployedAt: IsoDateTime,
  version: z.string().min(1),
  previousVersion: z.string().min(1).nullable(),
  jobId: z.string().min(1),
  action: z.enum(["promote", "rollback"]),
});
export type ModelDeployment = z.infer<typeof ModelDeployment>;
