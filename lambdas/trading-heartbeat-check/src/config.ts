/** trading-heartbeat-check configuration (docs/runtime-contracts.md). */
import { jsonString, loadEnv, positiveNumber, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const HeartbeatCheckEnv = z.object({
  HEARTBEATS_TABLE: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  /** A heartbeat older than this many seconds is stale. */
  HEARTBEAT_STALE_SECONDS: positiveNumber(),
  /**
   * JSON array of service ids that must have a heartbeat (e.g. `["live-trading"]`); a missing item is
   * reported like a stale one. Optional: without it only existing items are judged.
   */
  EXPECTED_HEARTBEAT_SERVICES: jsonString(z.array(z.string().min(1))).default([]),
  ENVIRONMENT: z.string().optional(),
});
export type HeartbeatCheckEnv = z.infer<typeof HeartbeatCheckEnv>;

export const config = (): HeartbeatCheckEnv => loadEnv(HeartbeatCheckEnv);
