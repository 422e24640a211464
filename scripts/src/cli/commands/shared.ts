/** Helpers shared by the command definitions. */
import type { CliContext } from "../context";
import { UsageError } from "../errors";
import { printJson } from "../io";
import { type Environment, parseEnvironment } from "../platform";

/** Lazily built context: `--help` and argument errors never construct it. */
export type ContextSource = () => CliContext;

/** Parses `--env`/positional environment names (unknown names: exit 2 with the choices). */
export const env = (value: string): Environment => parseEnvironment(value);

/** Parses a positive integer option. */
export function positiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${option} must be a positive integer, got "${value}"`);
  return n;
}

/** Prints `data` as JSON with `--json`, else the human rendering. */
export function emit(ctx: CliContext, json: boolean | undefined, data: unknown, human: () => string): void {
  if (json) printJson(ctx.io, data);
  else ctx.io.out(human());
}
