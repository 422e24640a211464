import { BackendEnv, parseEnv } from "@tradai/contracts";
import type { z } from "zod";

/** Environment of the backend API (ECS service `backend-api`): @tradai/contracts' BackendEnv. */
export { BackendEnv };
export type BackendConfig = z.output<typeof BackendEnv>;

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
  return parseEnv(BackendEnv, env);
}
