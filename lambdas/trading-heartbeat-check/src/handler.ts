/**
 * trading-heartbeat-check (EventBridge schedule): scans the heartbeats table for beats older than
 * `HEARTBEAT_STALE_SECONDS`, publishes `StaleHeartbeats` and alerts the alerts topic when any are stale.
 */
import { lambdaHandler, parseScheduledEvent } from "@tradai/lambda-common";
import { type HeartbeatReport, runHeartbeatCheck } from "./check";
import { config } from "./config";

export const handler = lambdaHandler("trading-heartbeat-check", async (event): Promise<HeartbeatReport> => {
  parseScheduledEvent(event);
  return runHeartbeatCheck(config(), new Date());
});
