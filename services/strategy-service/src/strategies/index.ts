import { fieldErrors, RequestValidationError } from "@tradai/service-common";
import { z } from "zod";
import { rsiMeanReversion } from "./rsi-mean-reversion";
import { smaCrossover } from "./sma-crossover";
import type { BuiltInStrategy } from "./types";

export type { BuiltInStrategy } from "./types";

/** The strategies this image can run, by id. */
export const STRATEGIES: ReadonlyMap<string, BuiltInStrategy> = new Map(
  [smaCrossover, rsiMeanReversion].map((s) => [s.id, s as unknown as BuiltInStrategy]),
);

/** Public description of a built-in strategy, with its parameters as JSON Schema. */
export function describeStrategy(strategy: BuiltInStrategy) {
  return {
    id: strategy.id,
    name: strategy.name,
    description: strategy.description,
    parameters: z.toJSONSchema(strategy.parameters, { io: "input", unrepresentable: "any" }),
  };
}

/** A strategy and validated parameters, or a validation error naming the fields (`prefix.parameters.x`). */
export function resolveStrategy(
  strategyId: string,
  parameters: Record<string, unknown>,
  prefix = "body",
): { strategy: BuiltInStrategy; params: Record<string, number> } {
  const strategy = STRATEGIES.get(strategyId);
  if (!strategy) {
    throw new RequestValidationError([
      {
        field: `${prefix}.strategyId`,
        message: `unknown strategy; built-in: ${[...STRATEGIES.keys()].join(", ")}`,
      },
    ]);
  }
  const parsed = strategy.parameters.safeParse(parameters);
  if (!parsed.success) throw new RequestValidationError(fieldErrors(parsed.error, `${prefix}.parameters`));
  return { strategy, params: parsed.data };
}
