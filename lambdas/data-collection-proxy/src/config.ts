/** data-collection-proxy configuration (docs/runtime-contracts.md). */

import { ExchangeId, Timeframe, TradingSymbol } from "@tradai/contracts";
import { jsonString, loadEnv } from "@tradai/lambda-common";
import * as z from "zod";

/**
 * A request the schedule sends on every run: the window is the `lookbackHours` before the event's time,
 * so each run collects the candles since roughly the previous one (with overlap, the service is idempotent).
 */
export const ScheduledCollection = z.strictObject({
  exchange: ExchangeId,
  symbol: TradingSymbol,
  timeframe: Timeframe,
  lookbackHours: z
    .number()
    .positive()
    .max(24 * 366),
});
export type ScheduledCollection = z.infer<typeof ScheduledCollection>;

export const ProxyEnv = z.object({
  /** Base URL of the data-collection service (Cloud Map name inside the VPC). */
  DATA_COLLECTION_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
  /** JSON array of {@link ScheduledCollection}: what a scheduled invocation collects. */
  DEFAULT_COLLECTION_REQUESTS: jsonString(z.array(ScheduledCollection)).default([]),
  DATA_COLLECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  DATA_COLLECTION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  DATA_COLLECTION_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(500),
});
export type ProxyEnv = z.infer<typeof ProxyEnv>;

export const config = (): ProxyEnv => loadEnv(ProxyEnv);
