import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "./iam";

/**
 * What each of the platform's state machines runs with: its log group (named as Step Functions' vended
 * logs expect), a role Step Functions assumes, and that role's inline policy made of `statements` (include
 * {@link stateMachineLogDelivery} from ./iam). Resource names derive from `name` (`<name>-logs`,
 * `<name>-role`, `<name>-policy`); create the state machine itself with `dependsOn: [policy]`, so it can
 * act and log from its first execution.
 */
export function stateMachineAccess(
  name: string,
  args: { stateMachineName: string; logRetentionDays: pulumi.Input<number>; statements: PolicyStatement[] },
  opts: pulumi.CustomResourceOptions,
): { logGroup: aws.cloudwatch.LogGroup; role: aws.iam.Role; policy: aws.iam.RolePolicy } {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: `/aws/vendedlogs/states/${args.stateMachineName}`, retentionInDays: args.logRetentionDays },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: assumeRolePolicy("states.amazonaws.com") },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.id, policy: policyDocument(args.statements) },
    opts,
  );
  return { logGroup, role, policy };
}
