/** Environment and input of compare-models; the environment schema is @tradai/contracts'. */
import {
  CompareModelsEnv,
  CompareModelsInput,
  Direction,
  MLFLOW_MAX_METRIC_KEY_LENGTH,
} from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import * as z from "zod";

export { Direction } from "@tradai/contracts";
export const Env = CompareModelsEnv;
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);

/** A metric key as MLflow accepts it: letters, digits, `_ - . /` and spaces, at most 250 characters. */
export const MetricKey = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_\\-. /]{1,${MLFLOW_MAX_METRIC_KEY_LENGTH}}$`),
    `expected an MLflow metric key (A-Z, a-z, 0-9, _ - . / and space; at most ${MLFLOW_MAX_METRIC_KEY_LENGTH})`,
  );

/** The workflow passes `{ modelName }`; a manual run may override the comparison settings. */
export const CompareInput = CompareModelsInput.extend({
  metric: MetricKey.optional(),
  direction: Direction.optional(),
  minImprovement: z.number().finite().min(0).optional(),
});
export type CompareInput = z.infer<typeof CompareInput>;

export interface Comparison {
  metric: string;
  direction: Direction;
  minImprovement: number;
}

export function comparisonFor(cfg: Config, input: CompareInput): Comparison {
  return {
    metric: input.metric ?? cfg.COMPARE_METRIC,
    direction: input.direction ?? cfg.COMPARE_DIRECTION,
    minImprovement: input.minImprovement ?? cfg.MIN_IMPROVEMENT,
  };
}
