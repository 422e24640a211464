/**
 * health-check (EventBridge schedule): running vs desired tasks of the cluster's ECS services and a GET
 * of each configured `/health` URL; publishes `HealthyServices`, `UnhealthyServices` and per-service
 * `ServiceHealthy` (0/1), and alerts when any service is unhealthy.
 */
import { lambdaHandler, parseScheduledEvent } from "@tradai/lambda-common";
import { type HealthReport, runHealthCheck } from "./check";
import { config } from "./config";

export const handler = lambdaHandler("health-check", async (event): Promise<HealthReport> => {
  parseScheduledEvent(event);
  return runHealthCheck(config());
});
