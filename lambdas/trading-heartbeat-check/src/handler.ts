/**
 * trading-heartbeat-check (EventBridge schedule): scans the heartbeats table for beats older than
 * `HEARTBEAT_STALE_SECONDS`, publishes `StaleHeartbeats` and alerts the alerts topic when any are stale.
 */
import { logger, parseScheduledEvent } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { type HeartbeatReport, runHeartbeatCheck } from "./check";
import { config } from "./config";

export async function handler(event: unknown, context?: Context): Promise<HeartbeatReport> {
  if (context) logger.addContext(context);
  try {
    parseScheduledEvent(event);
    return await runHeartbeatCheck(config(), new Date());
  } catch (error) {
    logger.error("trading-heartbeat-check failed", { error: error as Error });
    throw error;
  }
}
