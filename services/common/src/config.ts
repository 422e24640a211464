import { z } from "zod";

/** Thrown when the process environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  /** One line per failing variable, e.g. `PORT: expected a number`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid service configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Parses `env` with a zod object schema whose keys are environment variable names, so every error names
 * the variable. Reports all problems at once, not the first.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.length > 0 ? issue.path.map(String).join(".") : "(environment)";
      const problem =
        issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
      return `${name}: ${problem}`;
    }),
  );
}

/** A required, non-empty string variable. */
export const requiredString = z.string().trim().min(1, "must not be empty");

/** A TCP port from a string variable. */
export const port = z.coerce.number().int().min(0).max(65535);

/** Settings every service's HTTP server shares. */
export const serverEnv = {
  PORT: port.default(8080),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long a graceful shutdown may take before the process gives up on draining. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().default(25),
};

/** Parses a comma-separated list variable. */
export const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);
