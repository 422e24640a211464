import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy } from "../core/iam";

export interface ApiGatewayLoggingRoleArgs {
  /** Physical name of the IAM role. */
  roleName: string;
}

/**
 * The account-level setting that lets API Gateway write execution and access logs to CloudWatch: an IAM
 * role API Gateway assumes, registered with `aws.apigateway.Account`. There is one such setting per
 * account and region, so only one stack may own it (see `tradai:manageApiGatewayAccount`).
 *
 * Deleting the resource leaves the role ARN registered in the account; API Gateway keeps logging until
 * the role itself is deleted.
 *
 * @example
 * const logging = new ApiGatewayLoggingRole("api-logging", { roleName: ctx.name("apigw-cloudwatch") }, ctx.opts);
 */
export class ApiGatewayLoggingRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly account: aws.apigateway.Account;

  constructor(name: string, args: ApiGatewayLoggingRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:edge:ApiGatewayLoggingRole", name, {}, opts);
    this.role = new aws.iam.Role(
      name,
      { name: args.roleName, assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com") },
      { parent: this },
    );
    // The AWS-managed policy is the documented minimum for this role (log groups, streams and events).
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-push-logs`,
      {
        role: this.role.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
      },
      { parent: this },
    );
    // API Gateway checks the role can be assumed and has the policy when the setting is saved.
    this.account = new aws.apigateway.Account(
      name,
      { cloudwatchRoleArn: this.role.arn },
      { parent: this, dependsOn: [attachment] },
    );
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
