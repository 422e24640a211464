/** Environment of check-retraining-needed (docs/runtime-contracts.md): @tradai/contracts' schemas. */
import { CheckRetrainingNeededEnv, type ModelName, type ModelPolicy } from "@tradai/contracts";
import { InvalidEventError, loadEnv } from "@tradai/lambda-common";
import type * as z from "zod";

export { ModelPolicy, PerformanceFloor } from "@tradai/contracts";
export const Env = CheckRetrainingNeededEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);

/** The policy of `modelName`; models must be listed so that a typo cannot silently retrain nothing. */
export function policyFor(cfg: Config, modelName: z.infer<typeof ModelName>): ModelPolicy {
  const policy = cfg.RETRAINING_MODELS.find((m) => m.modelName === modelName);
  if (!policy) {
    const known = cfg.RETRAINING_MODELS.map((m) => m.modelName).join(", ");
    throw new InvalidEventError("retraining execution input", [
      {
        path: "modelName",
        message: `model ${modelName} is not configured in RETRAINING_MODELS (configured: ${known})`,
      },
    ]);
  }
  return policy;
}
