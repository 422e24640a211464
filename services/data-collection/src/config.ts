import { DataCollectionEnv, parseEnv } from "@tradai/contracts";
import type { z } from "zod";

/** Environment of the data-collection service: @tradai/contracts' DataCollectionEnv. */
export { DataCollectionEnv };
export type DataCollectionConfig = z.output<typeof DataCollectionEnv>;

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DataCollectionConfig {
  return parseEnv(DataCollectionEnv, env);
}
