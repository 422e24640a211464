/**
 * health-check (EventBridge schedule): running vs desired tasks of the cluster's ECS services and a GET
 * of each configured `/health` URL; publishes `HealthyServices`, `UnhealthyServices` and per-service
 * `ServiceHealthy` (0/1), and alerts when any service is unhealthy.
 */
import { logger, parseScheduledEvent } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { type HealthReport, runHealthCheck } from "./check";
import { config } from "./config";

export async function handler(event: unknown, context?: Context): Promise<HealthReport> {
  if (context) logger.addContext(context);
  try {
    parseScheduledEvent(event);
    return await runHealthCheck(config());
  } catch (error) {
    logger.error("health-check failed", { error: error as Error });
    throw error;
  }
}
