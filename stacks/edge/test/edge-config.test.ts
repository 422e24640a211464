import * as pulumi from "@pulumi/pulumi";
import { computeOutputsSchema, ENVIRONMENTS, foundationOutputsSchema, LAMBDAS } from "@tradai/contracts";
import { runLayer } from "@tradai/plan";
import { computeFixture, foundationFixture } from "./fixtures";
import { planEdge } from "./world";

/**
 * Plans edge with `config` expecting a config error. Config is validated before any stack reference is
 * read, so no upstream outputs are needed. The failed run's last RPCs are drained before the next run
 * replaces the mock monitor (runLayer rethrows a program failure without waiting for them).
 */
async function configError(config: Record<string, string>): Promise<string> {
  let message = "(no error)";
  try {
    await runLayer({ layer: "edge", env: "dev", config });
  } catch (error) {
    message = (error as Error).message;
  }
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return message;
}

describe("edge configuration", () => {
  it("rejects a bad value naming the stack, the key and what was expected", async () => {
    expect(await configError({ "tradai:wafRateLimit": "lots" })).toMatch(
      /Invalid configuration for stack "organization\/tradai-edge\/dev":\n {2}- tradai:wafRateLimit: expected a number/,
    );
  });

  it("rejects out-of-range limits and malformed lists", async () => {
    expect(await configError({ "tradai:apiThrottleBurstLimit": "0" })).toMatch(
      "tradai:apiThrottleBurstLimit: expected at least 1",
    );
    expect(await configError({ "tradai:albAllowedCidrs": '["10.0.0.0/33"]' })).toMatch(
      "tradai:albAllowedCidrs.0: expected an IPv4 CIDR block",
    );
    expect(await configError({ "tradai:alb5xxPercent": "150" })).toMatch(
      "tradai:alb5xxPercent: expected at most 100",
    );
    expect(await configError({ "tradai:albOriginHost": "https://alb.example.com/" })).toMatch(
      "tradai:albOriginHost: expected a DNS hostname",
    );
  });

  it("rejects unknown keys so a typo cannot fall back to a default", async () => {
    expect(await configError({ "tradai:wafRateLimt": "100" })).toMatch("tradai:wafRateLimt: unknown key");
  });

  it("honours explicit overrides of the environment defaults", async () => {
    const plan = (
      await planEdge("dev", {
        "tradai:apiThrottleRateLimit": "7.5",
        "tradai:apiThrottleBurstLimit": "15",
        "tradai:rdsCpuPercent": "60",
        "tradai:wafCountRules": '["SizeRestrictions_BODY"]',
        "tradai:manageApiGatewayAccount": "false",
      })
    ).edge;
    expect(
      plan.one("aws:apigateway/methodSettings:MethodSettings", "api-all-methods").inputs.settings,
    ).toMatchObject({ throttlingRateLimit: 7.5, throttlingBurstLimit: 15 });
    expect(plan.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarms-rds-cpu-high").inputs.threshold).toBe(
      60,
    );
    const rules = plan.one("aws:wafv2/webAcl:WebAcl", "api-waf").inputs.rules as {
      name: string;
      statement: { managedRuleGroupStatement?: { ruleActionOverrides?: unknown } };
    }[];
    expect(
      rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet")?.statement.managedRuleGroupStatement,
    ).toMatchObject({
      ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
    });
    expect(plan.ofType("aws:apigateway/account:Account")).toHaveLength(0);
  });

  it.each(ENVIRONMENTS)("keeps the stand-in upstream outputs for %s within the layer contracts", (env) => {
    expect(foundationOutputsSchema.safeParse(foundationFixture(env)).success).toBe(true);
    const compute = computeOutputsSchema.parse(computeFixture(env));
    expect(Object.keys(compute.functions).sort()).toEqual([...LAMBDAS].sort());
  });

  it("plans against a deployed compute older than the branch (a LAMBDAS function it does not export yet)", async () => {
    const full = computeOutputsSchema.parse(computeFixture("dev"));
    const { "drift-monitor": _notYet, ...older } = full.functions;
    const world = await planEdge("dev", {}, { compute: { ...full, functions: older } });
    const alarms = world.edge.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    const watches = (fn: string) =>
      alarms.filter((a) => (a.inputs.dimensions as Record<string, string> | undefined)?.FunctionName === fn);
    // Its alarms watch the name compute will give it; the exported ones keep compute's names.
    expect(watches("tradai-dev-drift-monitor").length).toBeGreaterThan(0);
    expect(watches(full.functions["health-check"]?.name ?? "").length).toBeGreaterThan(0);
  });
});
