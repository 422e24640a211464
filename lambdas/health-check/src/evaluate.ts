/** Combines ECS service counts and HTTP probes into one verdict per monitored service. */
import type { ProbeResult } from "./probe";

/** What ECS says about a service; `found: false` when DescribeServices reported it missing or inactive. */
export type EcsServiceState =
  | { found: true; status: string; runningCount: number; desiredCount: number }
  | { found: false; reason: string };

/** The verdict for one service, with the reasons it is unhealthy (empty when healthy). */
export interface ServiceHealth {
  service: string;
  healthy: boolean;
  reasons: string[];
  ecs: EcsServiceState;
  probe?: ProbeResult;
}

/**
 * A service is healthy when ECS has it ACTIVE with at least as many running tasks as desired, and its
 * health endpoint (when one is configured) answered 2xx in time.
 */
export function evaluateService(service: string, ecs: EcsServiceState, probe?: ProbeResult): ServiceHealth {
  const reasons: string[] = [];
  if (!ecs.found) {
    reasons.push(`ECS: ${ecs.reason}`);
  } else {
    if (ecs.status !== "ACTIVE") reasons.push(`ECS: service status is ${ecs.status}`);
    if (ecs.runningCount < ecs.desiredCount) {
      reasons.push(`ECS: ${ecs.runningCount} of ${ecs.desiredCount} desired tasks running`);
    }
  }
  if (probe && !probe.ok) reasons.push(`health endpoint ${probe.url}: ${probe.error ?? "failed"}`);
  const result: ServiceHealth = { service, healthy: reasons.length === 0, reasons, ecs };
  if (probe) result.probe = probe;
  return result;
}
