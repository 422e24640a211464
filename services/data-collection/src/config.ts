import { parseEnv, requiredString, serverEnv } from "@tradai/service-common";
import { z } from "zod";

/** Environment of the data-collection service. */
export const DataCollectionEnv = z.object({
  ...serverEnv,
  MARKET_DATA_BUCKET: requiredString,
  /** Binance REST base URL; `https://data-api.binance.vision` serves the same public market data. */
  BINANCE_BASE_URL: z.url().default("https://api.binance.com"),
  /** Candles per exchange request (Binance allows up to 1000). */
  EXCHANGE_PAGE_LIMIT: z.coerce.number().int().min(1).max(1000).default(1000),
  EXCHANGE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Longest range one request may collect, in days. */
  MAX_COLLECTION_DAYS: z.coerce.number().int().positive().default(366),
});
export type DataCollectionConfig = z.output<typeof DataCollectionEnv>;

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DataCollectionConfig {
  return parseEnv(DataCollectionEnv, env);
}
