/** Shared pieces of the platform's WAFv2 web ACLs: visibility settings and logging to CloudWatch. */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** WAF only delivers logs to CloudWatch log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

/** CloudWatch metrics and sampled requests for a rule or web ACL (metric names: letters, digits, `-`, `_`). */
export function visibility(metricName: string): aws.types.input.wafv2.WebAclVisibilityConfig {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/**
 * Throws when WAF could not deliver to `logGroupName`. A web ACL calls it first in its constructor, so bad
 * input creates nothing (not even the ACL).
 */
export function assertWafLogGroupName(logGroupName: string): void {
  if (!logGroupName.startsWith(WAF_LOG_GROUP_PREFIX)) {
    throw new Error(`WAF log group "${logGroupName}" must start with "${WAF_LOG_GROUP_PREFIX}"`);
  }
}

export interface WafLoggingArgs {
  /** Log group name; must start with `aws-waf-logs-`. */
  logGroupName: string;
  /** Days logs are kept. */
  retentionDays: number;
  /** Request headers (lower-case) replaced by `REDACTED` in the log. */
  redactedHeaders: string[];
}

/**
 * A log group and the logging configuration that sends `webAcl`'s request logs to it. Throws before
 * creating anything when the name lacks the prefix WAF requires.
 */
export function wafLogging(
  name: string,
  webAcl: aws.wafv2.WebAcl,
  args: WafLoggingArgs,
  parent: pulumi.Resource,
): { logGroup: aws.cloudwatch.LogGroup; logging: aws.wafv2.WebAclLoggingConfiguration } {
  assertWafLogGroupName(args.logGroupName);
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: args.logGroupName, retentionInDays: args.retentionDays },
    { parent },
  );
  const logging = new aws.wafv2.WebAclLoggingConfiguration(
    `${name}-logging`,
    {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: args.redactedHeaders.map((header) => ({ singleHeader: { name: header } })),
    },
    { parent },
  );
  return { logGroup, logging };
}
