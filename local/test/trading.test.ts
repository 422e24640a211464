/**
 * Flow 3 on the dev plan: dry-run-trading (strategy-service in dry-run mode, the plan's task environment)
 * writes heartbeats and holds its trading lease; once its service is stopped (releasing the lease),
 * trading-heartbeat-check alerts on the alerts topic.
 *
 * Timings are scaled in this plan copy so the flow takes seconds, not the planned minutes: the service
 * beats every second and the check calls a beat stale after 3 s. Every name and wire is the plan's.
 */

import { tradingFlow } from "./flows";
import { mutatedPlan, usePlatform } from "./harness";
import { scaledTradingTimings } from "./timings";

jest.setTimeout(180_000);

describe("flow 3: trading heartbeats and the stale-heartbeat alert, on the dev plan", () => {
  const platform = usePlatform({
    services: ["dry-run-trading"],
    planDir: () => mutatedPlan(scaledTradingTimings),
  });

  it("beats and holds the lease while running; after the service stops, the check reports it stale and alerts", async () => {
    const flow = await tradingFlow(platform());
    expect(Date.parse(flow.beats[1] ?? "")).toBeGreaterThan(Date.parse(flow.beats[0] ?? ""));
    expect(flow.heldWhileRunning.holder).toEqual(expect.any(String));
    // A graceful stop releases the lease, so a replacement takes over at once.
    expect(flow.leaseAfterStop).toBeUndefined();
    expect(flow.whileRunning.stale).toEqual([]);
    expect(flow.afterStop.stale).toEqual([expect.objectContaining({ serviceId: "dry-run-trading" })]);
    expect(flow.alert).toContain("dry-run-trading");
  });
});
