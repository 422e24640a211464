import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertWafLogGroupName, visibility, wafLogging } from "./waf-logging";

/** AWS managed rule groups every public entry point runs, in evaluation order after the rate limit. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

export interface ApiFirewallArgs {
  /** Physical name of the web ACL. */
  aclName: string;
  /** Requests one client IP may make in any 5-minute window before it is blocked. */
  rateLimit: number;
  /** Rules of AWSManagedRulesCommonRuleSet to count instead of block. @default [] */
  commonRuleSetCountRules?: string[];
  /** Resources the web ACL protects (logical name -> ARN): REST API stages, ALBs. */
  protect: Record<string, pulumi.Input<string>>;
  /** Log group for the request logs; must start with `aws-waf-logs-`. */
  logGroupName: string;
  /** Days request logs are kept. */
  logRetentionDays: number;
}

/**
 * The regional WAFv2 web ACL in front of the public API: a per-IP rate limit, then the AWS managed IP
 * reputation, common and known-bad-inputs rule groups; everything else is allowed. It is associated with
 * each resource in `protect` and logs to CloudWatch with the `Authorization` header redacted.
 *
 * @example
 * new ApiFirewall("api-waf", {
 *   aclName: ctx.name("api"), rateLimit: 1000, protect: { stage: api.stage.arn },
 *   logGroupName: "aws-waf-logs-tradai-prod-api", logRetentionDays: 90,
 * }, ctx.opts);
 */
export class ApiFirewall extends pulumi.ComponentResource {
  readonly webAcl: aws.wafv2.WebAcl;
  readonly associations: Record<string, aws.wafv2.WebAclAssociation>;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: ApiFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:edge:ApiFirewall", name, {}, opts);
    assertWafLogGroupName(args.logGroupName);
    const countRules = args.commonRuleSetCountRules ?? [];
    const managed = MANAGED_RULE_GROUPS.map(
      (group, index): aws.types.input.wafv2.WebAclRule => ({
        name: group,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: "AWS",
            name: group,
            ...(group === "AWSManagedRulesCommonRuleSet" && countRules.length > 0
              ? {
                  ruleActionOverrides: countRules.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
                }
              : {}),
          },
        },
        visibilityConfig: visibility(`${args.aclName}-${group}`),
      }),
    );
    this.webAcl = new aws.wafv2.WebAcl(
      name,
      {
        name: args.aclName,
        description: "TradAI public API: per-IP rate limit and AWS managed rule groups.",
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: [
          {
            // First, so a flood is cut before the managed groups spend capacity on it.
            name: "rate-limit-per-ip",
            priority: 0,
            action: { block: {} },
            statement: {
              rateBasedStatement: { limit: args.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 },
            },
            visibilityConfig: visibility(`${args.aclName}-rate-limit`),
          },
          ...managed,
        ],
        visibilityConfig: visibility(args.aclName),
      },
      { parent: this },
    );
    this.associations = Object.fromEntries(
      Object.entries(args.protect).map(([key, resourceArn]) => [
        key,
        new aws.wafv2.WebAclAssociation(
          `${name}-${key}`,
          { resourceArn, webAclArn: this.webAcl.arn },
          { parent: this },
        ),
      ]),
    );
    this.logGroup = wafLogging(
      name,
      this.webAcl,
      {
        logGroupName: args.logGroupName,
        retentionDays: args.logRetentionDays,
        redactedHeaders: ["authorization"],
      },
      this,
    ).logGroup;
    this.registerOutputs({ webAclArn: this.webAcl.arn });
  }
}
