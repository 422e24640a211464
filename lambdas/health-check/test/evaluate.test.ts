import { evaluateService } from "../src/evaluate";

describe("evaluateService", () => {
  const running = { found: true as const, status: "ACTIVE", runningCount: 2, desiredCount: 2 };

  it("is healthy when ECS runs the desired count and the probe passed", () => {
    const probe = { url: "http://x/health", ok: true, status: 200, elapsedMs: 3 };
    expect(evaluateService("api", running, probe)).toEqual({
      service: "api",
      healthy: true,
      reasons: [],
      ecs: running,
      probe,
    });
    expect(evaluateService("worker", running).healthy).toBe(true);
  });

  it("lists every reason it is unhealthy", () => {
    const health = evaluateService(
      "api",
      { found: true, status: "DRAINING", runningCount: 0, desiredCount: 1 },
      { url: "http://x/health", ok: false, error: "no answer within 100 ms", elapsedMs: 100 },
    );
    expect(health.healthy).toBe(false);
    expect(health.reasons).toEqual([
      "ECS: service status is DRAINING",
      "ECS: 0 of 1 desired tasks running",
      "health endpoint http://x/health: no answer within 100 ms",
    ]);
    expect(evaluateService("gone", { found: false, reason: "MISSING" }).reasons).toEqual(["ECS: MISSING"]);
  });

  it("treats a service scaled to zero as healthy", () => {
    expect(
      evaluateService("off", { found: true, status: "ACTIVE", runningCount: 0, desiredCount: 0 }).healthy,
    ).toBe(true);
  });
});
