/** health-check configuration (docs/runtime-contracts.md). */
import { jsonString, loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

/** One entry of `MONITORED_SERVICES`: an ECS service name and optionally its health endpoint. */
export const MonitoredService = z.strictObject({
  service: z.string().min(1),
  healthUrl: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
});
export type MonitoredService = z.infer<typeof MonitoredService>;

export const HealthCheckEnv = z.object({
  ECS_CLUSTER: requiredString(),
  ALERTS_TOPIC_ARN: requiredString(),
  MONITORED_SERVICES: jsonString(z.array(MonitoredService)),
  /** Per-request timeout of the health endpoint probes; a Lambda run must end well before its own timeout. */
  HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
  ENVIRONMENT: z.string().optional(),
});
export type HealthCheckEnv = z.infer<typeof HealthCheckEnv>;

export const config = (): HealthCheckEnv => loadEnv(HealthCheckEnv);
