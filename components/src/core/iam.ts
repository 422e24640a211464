/**
 * IAM policy documents built in code (not `aws.iam.getPolicyDocument`, an invoke that would need a
 * provider round trip and a mock per statement). Statements are typed so a wildcard action stands out.
 */
import * as pulumi from "@pulumi/pulumi";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  /** Everything but these (for Deny statements that carve out an exception). */
  NotResource?: pulumi.Input<string> | pulumi.Input<string>[];
  Principal?: "*" | Record<string, pulumi.Input<string> | pulumi.Input<string>[]>;
  Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[] | boolean>>;
}

/** A JSON policy document from statements whose resources may be Outputs. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
  return pulumi
    .output(statements)
    .apply((resolved) => JSON.stringify({ Version: "2012-10-17", Statement: resolved }));
}

/** Trust policy letting an AWS service assume a role. */
export function assumeRolePolicy(...services: string[]): pulumi.Output<string> {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: services.length === 1 ? (services[0] as string) : services },
      Action: "sts:AssumeRole",
    },
  ]);
}

/** Denies any request to `resources` that is not made over TLS. */
export function denyInsecureTransport(resources: pulumi.Input<string>[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "*",
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
}

/**
 * What a state machine's role needs to deliver its execution logs to CloudWatch Logs. The log delivery
 * actions support no resource-level permissions, hence `*`.
 */
export function stateMachineLogDelivery(): PolicyStatement {
  return {
    Sid: "ExecutionLogs",
    Effect: "Allow",
    Action: [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ],
    Resource: "*",
  };
}
