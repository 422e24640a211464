import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, policyDocument, stateMachineLogDelivery } from "../core/iam";
import { stateMachineAccess } from "../core/state-machine-access";

/**
 * The EventBridge pattern of a successful rotation of one secret. Secrets Manager reports rotations
 * (including the managed rotation of an RDS master user secret) through CloudTrail as a service event
 * `RotationSucceeded` whose `additionalEventData.SecretId` is the secret's ARN.
 */
export function rotationSucceededPattern(secretArn: string): Record<string, unknown> {
  return {
    source: ["aws.secretsmanager"],
    "detail-type": ["AWS Service Event via CloudTrail"],
    detail: {
      eventSource: ["secretsmanager.amazonaws.com"],
      eventName: ["RotationSucceeded"],
      additionalEventData: { SecretId: [secretArn] },
    },
  };
}

/** The Step Functions task that forces a new deployment of an ECS service (no Lambda needed). */
export const FORCE_DEPLOY_RESOURCE = "arn:aws:states:::aws-sdk:ecs:updateService";

/** The state machine definition: one retried `ecs:UpdateService` call with `ForceNewDeployment`. */
export function forceDeployDefinition(clusterArn: string, serviceName: string): Record<string, unknown> {
  return {
    Comment: `Force a new deployment of ${serviceName} (its tasks read the rotated secret at start)`,
    StartAt: "ForceNewDeployment",
    States: {
      ForceNewDeployment: {
        Type: "Task",
        Resource: FORCE_DEPLOY_RESOURCE,
        Parameters: { Cluster: clusterArn, Service: serviceName, ForceNewDeployment: true },
        Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 }],
        End: true,
      },
    },
  };
}

export interface RedeployOnRotationArgs {
  /** The secret whose successful rotation triggers the redeploy. */
  secretArn: pulumi.Input<string>;
  clusterArn: pulumi.Input<string>;
  /** The ECS service that reads the secret only when its tasks start. */
  service: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  /** Physical name of the state machine. */
  stateMachineName: string;
  logRetentionDays: number;
}

/**
 * Makes the rotation of a secret harmless for an ECS service that injects it at task start (MLflow and the
 * RDS-managed master password): an EventBridge rule on the secret's `RotationSucceeded` starts an Express
 * state machine that forces a new deployment of the service, so fresh tasks read the new password.
 *
 * @example
 * new RedeployOnRotation("mlflow-rotation", { secretArn, clusterArn, service: { name, arn }, ... }, ctx.opts);
 */
export class RedeployOnRotation extends pulumi.ComponentResource {
  readonly rule: aws.cloudwatch.EventRule;
  readonly stateMachine: aws.sfn.StateMachine;

  constructor(name: string, args: RedeployOnRotationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:RedeployOnRotation", name, {}, opts);
    const child = { parent: this };
    const { logGroup, role, policy } = stateMachineAccess(
      name,
      {
        stateMachineName: args.stateMachineName,
        logRetentionDays: args.logRetentionDays,
        statements: [
          { Sid: "ForceDeploy", Effect: "Allow", Action: "ecs:UpdateService", Resource: args.service.arn },
          stateMachineLogDelivery(),
        ],
      },
      child,
    );
    this.stateMachine = new aws.sfn.StateMachine(
      name,
      {
        name: args.stateMachineName,
        type: "EXPRESS",
        roleArn: role.arn,
        definition: pulumi
          .all([pulumi.output(args.clusterArn), pulumi.output(args.service.name)])
          .apply(([cluster, service]) => JSON.stringify(forceDeployDefinition(cluster, service))),
        loggingConfiguration: {
          level: "ERROR",
          includeExecutionData: false,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
      },
      // The role must be able to act (and to log) before the first rotation event arrives.
      { ...child, dependsOn: [policy] },
    );

    this.rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: pulumi.interpolate`Force a new deployment of ${args.service.name} when its secret rotates`,
        eventPattern: pulumi
          .output(args.secretArn)
          .apply((arn) => JSON.stringify(rotationSucceededPattern(arn))),
      },
      child,
    );
    const eventsRole = new aws.iam.Role(
      `${name}-events-role`,
      { assumeRolePolicy: assumeRolePolicy("events.amazonaws.com") },
      child,
    );
    const eventsPolicy = new aws.iam.RolePolicy(
      `${name}-events-policy`,
      {
        role: eventsRole.id,
        policy: policyDocument([
          {
            Sid: "StartRedeploy",
            Effect: "Allow",
            Action: "states:StartExecution",
            Resource: this.stateMachine.arn,
          },
        ]),
      },
      child,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: this.rule.name,
        arn: this.stateMachine.arn,
        roleArn: eventsRole.arn,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
      },
      { ...child, dependsOn: [eventsPolicy] },
    );
    this.registerOutputs({ ruleArn: this.rule.arn, stateMachineArn: this.stateMachine.arn });
  }
}
