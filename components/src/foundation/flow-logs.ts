import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../core/iam";
import { formerType } from "../core/options";

export interface FlowLogsArgs {
  vpcId: pulumi.Input<string>;
  /** CloudWatch Logs group name. */
  logGroupName: string;
  /** Physical name of the delivery role. */
  roleName: string;
  /** Days the log events are kept (a CloudWatch Logs retention period). @default 14 */
  retentionDays?: number;
  /** `ALL`, `ACCEPT` or `REJECT`. @default "ALL" */
  trafficType?: "ALL" | "ACCEPT" | "REJECT";
}

/**
 * VPC flow logs delivered to a CloudWatch Logs group with a retention, through a role that can write to
 * that group only.
 *
 * @example
 * new FlowLogs("flow-logs", { vpcId: network.vpc.id, logGroupName: "/tradai/dev/vpc-flow-logs", roleName: ctx.name("flow-logs") }, ctx.opts);
 */
export class FlowLogs extends pulumi.ComponentResource {
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly flowLog: aws.ec2.FlowLog;

  constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:FlowLogs", name, {}, formerType("tradai:network:FlowLogs", opts));
    const child = { parent: this };
    this.logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.logGroupName, retentionInDays: args.retentionDays ?? 14 },
      child,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        // Only flow logs of this account may use the role (confused deputy).
        assumeRolePolicy: policyDocument([
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": aws.getCallerIdentityOutput({}, child).accountId },
            },
          },
        ]),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-write`,
      {
        role: role.id,
        policy: policyDocument([
          {
            Sid: "WriteFlowLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [this.logGroup.arn, pulumi.interpolate`${this.logGroup.arn}:*`],
          },
        ]),
      },
      child,
    );
    this.flowLog = new aws.ec2.FlowLog(
      name,
      {
        vpcId: args.vpcId,
        trafficType: args.trafficType ?? "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: this.logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      },
      child,
    );
    this.registerOutputs({ logGroupName: this.logGroup.name });
  }
}
