/** Typed configuration from `process.env`, validated once per schema. */
import * as z from "zod";
import { ConfigError } from "./errors";

const cache = new Map<z.ZodType, unknown>();

/**
 * Parses `process.env` with `schema` on first use and returns the cached result afterwards.
 * @throws ConfigError naming each missing or malformed variable and what was expected.
 */
export function loadEnv<S extends z.ZodType>(schema: S): z.output<S> {
  if (cache.has(schema)) return cache.get(schema) as z.output<S>;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? "(environment)");
        const missing = process.env[variable] === undefined;
        return {
          variable,
          message: missing ? `is not set (${issue.message})` : `is invalid: ${issue.message}`,
        };
      }),
    );
  }
  cache.set(schema, parsed.data);
  return parsed.data;
}

/** Forgets every cached configuration (tests change `process.env` between cases). */
export function resetEnvCache(): void {
  cache.clear();
}

/** A required, non-empty variable. */
export const requiredString = () => z.string().min(1, "expected a non-empty string");

/** A comma-separated list of non-empty ids (`subnet-1,subnet-2`), at least one. */
export const csvList = () =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(z.string()).min(1, "expected a comma-separated list with at least one id"));

/** A variable holding JSON that must match `schema` (e.g. `RETRAINING_MODELS`). */
export const jsonString = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((value, ctx): unknown => {
      try {
        return JSON.parse(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "expected JSON", input: value });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** A positive number given as a string (`"15"`). */
export const positiveNumber = () => z.coerce.number().positive("expected a positive number");
