/** Typed configuration from `process.env`, validated once per schema. */
import { ConfigError, configProblems } from "@tradai/contracts";
import type * as z from "zod";

const cache = new Map<z.ZodType, unknown>();

/**
 * Parses `process.env` with `schema` on first use and returns the cached result afterwards.
 * @throws ConfigError (@tradai/contracts) naming each missing or malformed variable and what was expected.
 */
export function loadEnv<S extends z.ZodType>(schema: S): z.output<S> {
  if (cache.has(schema)) return cache.get(schema) as z.output<S>;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new ConfigError("the environment", configProblems(parsed.error, process.env));
  }
  cache.set(schema, parsed.data);
  return parsed.data;
}

/** Forgets every cached configuration (tests change `process.env` between cases). */
export function resetEnvCache(): void {
  cache.clear();
}
