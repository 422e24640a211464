/**
 * Timings the flow tests scale down in their plan copy, so a flow takes seconds instead of the planned
 * minutes. Only durations change; every name and wire stays the plan's.
 */
import type { EnvironmentPlan } from "../src/plan-source";
import { plannedResource } from "./harness";

/** The dev plan with the heartbeat interval and staleness threshold shortened. */
export function scaledTradingTimings(plan: EnvironmentPlan): void {
  const td = plannedResource(plan, "aws:ecs/taskDefinition:TaskDefinition", "dry-run-trading");
  const containers = JSON.parse(String(td.inputs.containerDefinitions)) as {
    environment: { name: string; value: string }[];
  }[];
  for (const e of containers[0]?.environment ?? [])
    if (e.name === "HEARTBEAT_INTERVAL_SECONDS") e.value = "1";
  td.inputs.containerDefinitions = JSON.stringify(containers);
  const check = plannedResource(plan, "aws:lambda/function:Function", "trading-heartbeat-check");
  const variables = (check.inputs.environment as { variables: Record<string, string> }).variables;
  variables.HEARTBEAT_STALE_SECONDS = "3";
}
