/**
 * Reading a deployed layer's outputs (its contract from `@tradai/components`) for commands that need
 * physical names. When the stack cannot be read (no Pulumi CLI, not logged in, not deployed) the caller
 * falls back to the naming convention; the warning says so.
 */
import type { z } from "zod";
import type { CliContext } from "../context";
import { messageOf } from "../errors";
import { computeOutputsSchema, type Environment, type Layer, persistentOutputsSchema } from "../platform";
import { plainOutputs } from "./stack-runner";

/** Parses part of a layer's outputs; `undefined` (with a warning) when unavailable or malformed. */
export async function readOutputs<T extends z.ZodType>(
  ctx: CliContext,
  layer: Layer,
  env: Environment,
  schema: T,
  what: string,
): Promise<z.infer<T> | undefined> {
  let outputs: Record<string, unknown>;
  try {
    outputs = plainOutputs(await (await ctx.stacks(layer, env)).outputs(), true);
  } catch (error) {
    ctx.io.err(
      `note: cannot read ${layer} outputs of ${env} (${messageOf(error)}); using the naming convention for ${what}`,
    );
    return undefined;
  }
  const parsed = schema.safeParse(outputs);
  if (!parsed.success) {
    ctx.io.err(`note: the ${layer} stack of ${env} does not export ${what}; using the naming convention`);
    return undefined;
  }
  return parsed.data;
}

export const ecsOutputs = computeOutputsSchema.pick({ cluster: true, services: true });
export const imageOutputs = computeOutputsSchema.pick({ images: true });
export const codeArtifactOutputs = persistentOutputsSchema.pick({ codeartifact: true });
