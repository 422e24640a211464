/**
 * One configuration error for every program of the platform: a Lambda's or a service's environment,
 * or a stack's Pulumi config. Its message names where the configuration came from and every bad key.
 */
import type { z } from "zod";

/** One bad key: the variable (or config key) and what is wrong with it. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** The configuration did not satisfy its schema; nothing was done with it. */
export class ConfigError extends Error {
  constructor(
    /** Where the configuration came from, e.g. `the environment` or `stack "org/tradai-compute/prod"`. */
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration for ${source}:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** The problems of a failed parse, one per issue, each naming its key. */
export function configProblems(error: z.ZodError, input: Record<string, unknown>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    const first = issue.path[0];
    const missing = first !== undefined && input[String(first)] === undefined;
    return { key, message: missing ? `is required (${issue.message})` : issue.message };
  });
}

/**
 * Parses an environment (`process.env` by default) with a zod object schema whose keys are variable
 * names. Reports every problem at once.
 * @throws ConfigError naming each missing or malformed variable.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
  source = "the environment",
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(source, configProblems(result.error, env));
}
