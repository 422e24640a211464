import { OriginFirewall } from "../src/edge/origin-firewall";
import { capture, captureFailure, expectWellFormed, isSecret, mockArn, mockPulumi } from "./harness";

const ACL = "aws:wafv2/webAcl:WebAcl";
const IP_SET = "aws:wafv2/ipSet:IpSet";

beforeAll(() => mockPulumi());

const args = {
  aclName: "tradai-dev-alb-origin",
  loadBalancerArn: "alb-arn",
  originHeader: { name: "x-origin-verify", value: "s3cret" },
  logGroupName: "aws-waf-logs-tradai-dev-alb",
  logRetentionDays: 30,
};

describe("OriginFirewall", () => {
  it("blocks everything but requests carrying the origin header's exact secret, and redacts it from logs", async () => {
    const c = await capture((opts) => new OriginFirewall("alb-waf", args, opts));
    expectWellFormed(c, "tradai:edge:OriginFirewall", "alb-waf");
    const acl = c.one(ACL, "alb-waf").inputs;
    expect(acl).toMatchObject({
      name: "tradai-dev-alb-origin",
      scope: "REGIONAL",
      defaultAction: { block: {} },
    });
    expect(acl.rules).toEqual([
      expect.objectContaining({
        name: "allow-from-api",
        priority: 0,
        action: { allow: {} },
        statement: {
          byteMatchStatement: {
            fieldToMatch: { singleHeader: { name: "x-origin-verify" } },
            positionalConstraint: "EXACTLY",
            searchString: "s3cret",
            textTransformations: [{ priority: 0, type: "NONE" }],
          },
        },
      }),
    ]);
    // The secret stays a secret in state.
    expect(isSecret(c.one(ACL, "alb-waf").rawInputs.rules)).toBe(true);
    expect(c.ofType(IP_SET)).toEqual([]);
    expect(c.one("aws:wafv2/webAclAssociation:WebAclAssociation", "alb-waf-alb").inputs).toEqual({
      resourceArn: "alb-arn",
      webAclArn: mockArn(ACL, "tradai-dev-alb-origin"),
    });
    expect(
      c.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "alb-waf-logging").inputs
        .redactedFields,
    ).toEqual([{ singleHeader: { name: "x-origin-verify" } }, { singleHeader: { name: "authorization" } }]);
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "alb-waf-logs").inputs.retentionInDays).toBe(30);
  });

  it("also allows the operators' CIDR blocks through an IP set", async () => {
    const c = await capture(
      (opts) => new OriginFirewall("ops-waf", { ...args, allowedCidrs: ["198.51.100.0/24"] }, opts),
    );
    expect(c.one(IP_SET, "ops-waf-operators").inputs).toEqual({
      name: "tradai-dev-alb-origin-operators",
      scope: "REGIONAL",
      ipAddressVersion: "IPV4",
      addresses: ["198.51.100.0/24"],
    });
    const rules = c.one(ACL, "ops-waf").inputs.rules as {
      name: string;
      priority: number;
      statement: unknown;
    }[];
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "allow-from-api"],
      [1, "allow-operators"],
    ]);
    expect(rules[1]?.statement).toEqual({
      ipSetReferenceStatement: { arn: mockArn(IP_SET, "tradai-dev-alb-origin-operators") },
    });
  });

  it("rejects a log group WAF cannot deliver to, before creating anything", async () => {
    const { error, registered } = await captureFailure(
      () =>
        new OriginFirewall("bad", { ...args, allowedCidrs: ["198.51.100.0/24"], logGroupName: "alb-logs" }),
    );
    expect(error.message).toBe('WAF log group "alb-logs" must start with "aws-waf-logs-"');
    expect(registered).toEqual(["tradai:edge:OriginFirewall::bad"]);
  });
});
