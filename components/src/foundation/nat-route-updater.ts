import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { UpdateNatRoutesEnvInput } from "@tradai/contracts";
import { assumeRolePolicy, policyDocument } from "../core/iam";
import { formerType } from "../core/options";
import { bundleInlineLambda } from "./inline-lambda";

export interface NatRouteUpdaterArgs {
  /** Physical function name (also names its role, log group and rule). */
  functionName: string;
  /** Name of the NAT instance's Auto Scaling group whose launches trigger the function. */
  groupName: string;
  /** The private route tables whose default route follows the NAT instance. */
  routeTableIds: pulumi.Input<string>[];
  /** Days the function's logs are kept. @default 14 */
  logRetentionDays?: number;
  /** The function's code. @default the bundle of `lambdas/update-nat-routes` */
  code?: pulumi.asset.Archive;
}

/**
 * The inline `update-nat-routes` Lambda (zip, Node.js 24, arm64) and its trigger: an EventBridge rule on
 * the NAT group's `EC2 Instance Launch Successful` event. On each launch it turns the instance's
 * source/destination check off and points every private default route at the instance's primary network
 * interface. Its role can change routes of those tables only, and the attribute of instances of that group
 * only.
 *
 * @example
 * const updater = new NatRouteUpdater("nat-routes", { functionName: ctx.name("update-nat-routes"), groupName, routeTableIds }, ctx.opts);
 */
export class NatRouteUpdater extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly rule: aws.cloudwatch.EventRule;
  /** Create the Auto Scaling group after these, or its first launch event reaches nobody. */
  readonly triggerReady: pulumi.Resource[];

  constructor(name: string, args: NatRouteUpdaterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:NatRouteUpdater", name, {}, formerType("tradai:network:NatRouteUpdater", opts));
    const child = { parent: this };
    const region = aws.getRegionOutput({}, child).region;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const ec2Arn = (resource: pulumi.Input<string>) =>
      pulumi.interpolate`arn:aws:ec2:${region}:${accountId}:${resource}`;

    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: `/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays ?? 14 },
      child,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      { name: args.functionName, assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com") },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: policyDocument([
          {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
          },
          {
            Sid: "PrivateDefaultRoutes",
            Effect: "Allow",
            Action: ["ec2:CreateRoute", "ec2:ReplaceRoute"],
            Resource: args.routeTableIds.map((id) => ec2Arn(pulumi.interpolate`route-table/${id}`)),
          },
          {
            Sid: "NatInstanceSourceDestCheck",
            Effect: "Allow",
            Action: "ec2:ModifyInstanceAttribute",
            Resource: ec2Arn("instance/*"),
            Condition: { StringEquals: { "aws:ResourceTag/aws:autoscaling:groupName": args.groupName } },
          },
          {
            // Describe calls support no resource-level permissions.
            Sid: "Describe",
            Effect: "Allow",
            Action: [
              "ec2:DescribeInstances",
              "ec2:DescribeRouteTables",
              "autoscaling:DescribeAutoScalingGroups",
            ],
            Resource: "*",
          },
        ]),
      },
      child,
    );
    this.function = new aws.lambda.Function(
      name,
      {
        name: args.functionName,
        description: "Points the private default routes at the NAT instance after each launch",
        runtime: aws.lambda.Runtime.NodeJS24dX,
        architectures: ["arm64"],
        handler: "index.handler",
        code: args.code ?? bundleInlineLambda("update-nat-routes"),
        role: role.arn,
        // Room for a pending instance to start (PENDING_WAIT_SECONDS in the handler) and a few retries.
        timeout: 180,
        memorySize: 256,
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        environment: {
          variables: {
            ROUTE_TABLE_IDS: pulumi.output(args.routeTableIds).apply((ids) => ids.join(",")),
            NAT_ASG_NAME: args.groupName,
            POWERTOOLS_SERVICE_NAME: "update-nat-routes",
            // What the function's config parses (@tradai/contracts): a rename on either side fails to compile.
          } satisfies { [K in keyof UpdateNatRoutesEnvInput]: pulumi.Input<string> } & {
            POWERTOOLS_SERVICE_NAME: string;
          },
        },
      },
      { ...child, dependsOn: [policy] },
    );

    this.rule = new aws.cloudwatch.EventRule(
      name,
      {
        name: args.functionName,
        description: `Launches of ${args.groupName} update the NAT routes`,
        eventPattern: JSON.stringify({
          source: ["aws.autoscaling"],
          "detail-type": ["EC2 Instance Launch Successful"],
          detail: { AutoScalingGroupName: [args.groupName] },
        }),
      },
      child,
    );
    const target = new aws.cloudwatch.EventTarget(
      name,
      {
        rule: this.rule.name,
        arn: this.function.arn,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
      },
      child,
    );
    const permission = new aws.lambda.Permission(
      name,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        principal: "events.amazonaws.com",
        sourceArn: this.rule.arn,
      },
      child,
    );
    this.triggerReady = [target, permission];
    this.registerOutputs({ functionArn: this.function.arn, ruleArn: this.rule.arn });
  }
}
