/** trading-heartbeat-check configuration (docs/runtime-contracts.md). */
import { loadEnv, positiveNumber, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const HeartbeatCheckEnv = z.object({
  HEARTBEATS_TABLE: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  /** A heartbeat older than this many seconds is stale. */
  HEARTBEAT_STALE_SECONDS: positiveNumber(),
  ENVIRONMENT: z.string().optional(),
});
export type HeartbeatCheckEnv = z.infer<typeof HeartbeatCheckEnv>;

export const config = (): HeartbeatCheckEnv => loadEnv(HeartbeatCheckEnv);
