import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OriginHeader } from "./public-api";
import { assertWafLogGroupName, visibility, wafLogging } from "./waf-logging";

export interface OriginFirewallArgs {
  /** Physical name of the web ACL (and of the IP set, when there is one). */
  aclName: string;
  /** ARN of the load balancer to guard. */
  loadBalancerArn: pulumi.Input<string>;
  /** The header (and secret value) the API adds to every request it forwards. */
  originHeader: OriginHeader;
  /** CIDR blocks (e.g. operators' VPN egress) allowed to reach the ALB directly. @default [] */
  allowedCidrs?: string[];
  /** Log group for the request logs; must start with `aws-waf-logs-`. */
  logGroupName: string;
  /** Days request logs are kept. */
  logRetentionDays: number;
}

/**
 * A web ACL on the ALB that blocks everything that did not come through the API: only requests carrying
 * the origin header with its secret value (and requests from `allowedCidrs`) are allowed. The API's own
 * web ACL has already inspected those requests, so this one holds no managed rules and no per-IP rate
 * limit (behind API Gateway every request arrives from a few AWS addresses). The secret header is
 * redacted from its logs.
 *
 * @example
 * new OriginFirewall("alb-waf", {
 *   aclName: ctx.name("alb-origin"), loadBalancerArn: compute.alb.arn,
 *   originHeader: { name: "x-origin-verify", value: secret.result },
 *   logGroupName: "aws-waf-logs-tradai-prod-alb", logRetentionDays: 90,
 * }, ctx.opts);
 */
export class OriginFirewall extends pulumi.ComponentResource {
  readonly webAcl: aws.wafv2.WebAcl;
  readonly association: aws.wafv2.WebAclAssociation;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: OriginFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:edge:OriginFirewall", name, {}, opts);
    assertWafLogGroupName(args.logGroupName);
    const cidrs = args.allowedCidrs ?? [];
    const rules: pulumi.Input<aws.types.input.wafv2.WebAclRule>[] = [
      {
        name: "allow-from-api",
        priority: 0,
        action: { allow: {} },
        statement: {
          byteMatchStatement: {
            fieldToMatch: { singleHeader: { name: args.originHeader.name } },
            positionalConstraint: "EXACTLY",
            searchString: pulumi.secret(args.originHeader.value),
            textTransformations: [{ priority: 0, type: "NONE" }],
          },
        },
        visibilityConfig: visibility(`${args.aclName}-from-api`),
      },
    ];
    if (cidrs.length > 0) {
      const ipSet = new aws.wafv2.IpSet(
        `${name}-operators`,
        { name: `${args.aclName}-operators`, scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: cidrs },
        { parent: this },
      );
      rules.push({
        name: "allow-operators",
        priority: 1,
        action: { allow: {} },
        statement: { ipSetReferenceStatement: { arn: ipSet.arn } },
        visibilityConfig: visibility(`${args.aclName}-operators`),
      });
    }
    this.webAcl = new aws.wafv2.WebAcl(
      name,
      {
        name: args.aclName,
        description: "TradAI ALB: only traffic forwarded by the API (origin header) or from operator CIDRs.",
        scope: "REGIONAL",
        defaultAction: { block: {} },
        rules,
        visibilityConfig: visibility(args.aclName),
      },
      { parent: this },
    );
    this.association = new aws.wafv2.WebAclAssociation(
      `${name}-alb`,
      { resourceArn: args.loadBalancerArn, webAclArn: this.webAcl.arn },
      { parent: this },
    );
    this.logGroup = wafLogging(
      name,
      this.webAcl,
      {
        logGroupName: args.logGroupName,
        retentionDays: args.logRetentionDays,
        redactedHeaders: [args.originHeader.name, "authorization"],
      },
      this,
    ).logGroup;
    this.registerOutputs({ webAclArn: this.webAcl.arn });
  }
}
