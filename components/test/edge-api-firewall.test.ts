import { ApiFirewall, MANAGED_RULE_GROUPS } from "../src/edge/api-firewall";
import { capture, captureFailure, expectWellFormed, mockArn, mockPulumi } from "./harness";

const ACL = "aws:wafv2/webAcl:WebAcl";
const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

beforeAll(() => mockPulumi());

const args = {
  aclName: "tradai-dev-api",
  rateLimit: 500,
  protect: { stage: "stage-arn", alb: "alb-arn" },
  logGroupName: "aws-waf-logs-tradai-dev-api",
  logRetentionDays: 14,
};

describe("ApiFirewall", () => {
  it("rate-limits per IP first, then runs the managed groups, allows the rest and guards each resource", async () => {
    const c = await capture((opts) => new ApiFirewall("api-waf", args, opts));
    expectWellFormed(c, "tradai:edge:ApiFirewall", "api-waf");
    const acl = c.one(ACL, "api-waf").inputs;
    expect(acl).toMatchObject({ name: "tradai-dev-api", scope: "REGIONAL", defaultAction: { allow: {} } });
    expect(acl.rules.map((r: { name: string; priority: number }) => [r.priority, r.name])).toEqual([
      [0, "rate-limit-per-ip"],
      ...MANAGED_RULE_GROUPS.map((group, i) => [i + 1, group]),
    ]);
    expect(acl.rules[0]).toMatchObject({
      action: { block: {} },
      statement: { rateBasedStatement: { limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
    });
    // No rule is counted instead of blocked unless asked.
    for (const rule of acl.rules.slice(1)) {
      expect(rule.statement.managedRuleGroupStatement).not.toHaveProperty("ruleActionOverrides");
    }
    const webAclArn = mockArn(ACL, "tradai-dev-api");
    expect(c.ofType(ASSOCIATION).map((a) => [a.name, a.inputs])).toEqual([
      ["api-waf-stage", { resourceArn: "stage-arn", webAclArn }],
      ["api-waf-alb", { resourceArn: "alb-arn", webAclArn }],
    ]);
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "api-waf-logs").inputs).toEqual({
      name: "aws-waf-logs-tradai-dev-api",
      retentionInDays: 14,
    });
    expect(
      c.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "api-waf-logging").inputs,
    ).toMatchObject({
      resourceArn: webAclArn,
      redactedFields: [{ singleHeader: { name: "authorization" } }],
    });
  });

  it("counts the listed rules of the common rule set only", async () => {
    const c = await capture(
      (opts) =>
        new ApiFirewall("counting", { ...args, commonRuleSetCountRules: ["SizeRestrictions_BODY"] }, opts),
    );
    const rules = c.one(ACL, "counting").inputs.rules as {
      name: string;
      statement: { managedRuleGroupStatement?: { ruleActionOverrides?: unknown } };
    }[];
    expect(
      rules
        .filter((r) => r.statement.managedRuleGroupStatement?.ruleActionOverrides)
        .map((r) => [r.name, r.statement.managedRuleGroupStatement?.ruleActionOverrides]),
    ).toEqual([
      ["AWSManagedRulesCommonRuleSet", [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]],
    ]);
  });

  it("rejects a log group WAF cannot deliver to, before creating anything", async () => {
    const { error, registered } = await captureFailure(
      () => new ApiFirewall("bad", { ...args, logGroupName: "tradai-dev-api-logs" }),
    );
    expect(error.message).toBe('WAF log group "tradai-dev-api-logs" must start with "aws-waf-logs-"');
    expect(registered).toEqual(["tradai:edge:ApiFirewall::bad"]);
  });
});
