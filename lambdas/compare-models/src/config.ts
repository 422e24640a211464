/** Environment and input of compare-models. */

import { CompareModelsInput, MLFLOW_MAX_METRIC_KEY_LENGTH } from "@tradai/contracts";
import { loadEnv } from "@tradai/lambda-common";
import * as z from "zod";

export const Direction = z.enum(["higher", "lower"]);
export type Direction = z.infer<typeof Direction>;

/** A non-negative number given as a string (`"0.05"`). */
const nonNegative = () => z.coerce.number().min(0, "expected a number >= 0");

export const Env = z.object({
  /** MLflow REST base URL (Cloud Map name inside the VPC). */
  MLFLOW_TRACKING_URI: z.url({ protocol: /^https?$/ }),
  /** The run metric candidate and champion are compared on, e.g. `sharpe`. */
  COMPARE_METRIC: z.string().min(1, "expected a metric name"),
  /** Whether a higher (`higher`, default) or lower (`lower`) value of the metric is better. */
  COMPARE_DIRECTION: Direction.default("higher"),
  /** How much better (in the metric's own units) the candidate must be to replace the champion. */
  MIN_IMPROVEMENT: nonNegative().default(0),
});
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
