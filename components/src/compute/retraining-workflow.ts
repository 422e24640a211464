import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stateMachineLogDelivery } from "../core/iam";
import { stateMachineAccess } from "../core/state-machine-access";
import { type RetrainingFunctions, retrainingDefinition, type TrainingTask } from "./retraining-definition";

export interface RetrainingWorkflowArgs {
  /** Physical state machine name. */
  stateMachineName: string;
  /** ARNs of the step functions. */
  functions: { [K in keyof RetrainingFunctions]: pulumi.Input<string> };
  training: { [K in keyof TrainingTask]: pulumi.Input<TrainingTask[K]> };
  /** Roles the training task runs with (passed to ECS). */
  trainingRoleArns: pulumi.Input<string>[];
  logRetentionDays: number;
}

/**
 * The Step Functions retraining workflow: a standard state machine generated from typed ASL
 * ({@link retrainingDefinition}), with a role that may invoke exactly its five functions and run exactly
 * the training task, execution logging and tracing.
 *
 * @example
 * new RetrainingWorkflow("retraining", { stateMachineName: ctx.name("retraining"), functions, training, ... }, ctx.opts);
 */
export class RetrainingWorkflow extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;

  constructor(name: string, args: RetrainingWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:RetrainingWorkflow", name, {}, opts);
    const child = { parent: this };
    const region = aws.getRegionOutput({}, child).region;
    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const functionArns = Object.values(args.functions);
    const { logGroup, role, policy } = stateMachineAccess(
      name,
      {
        stateMachineName: args.stateMachineName,
        logRetentionDays: args.logRetentionDays,
        statements: [
          { Sid: "InvokeSteps", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArns },
          {
            Sid: "RunTraining",
            Effect: "Allow",
            Action: "ecs:RunTask",
            Resource: pulumi
              .output(args.training.taskDefinitionArn)
              .apply((arn) => arn.replace(/:\d+$/, ":*")),
            Condition: { ArnEquals: { "ecs:cluster": args.training.clusterArn } },
          },
          {
            // Only tasks of the training cluster (task ARNs are task/<cluster name>/<id>).
            Sid: "TrackTraining",
            Effect: "Allow",
            Action: ["ecs:StopTask", "ecs:DescribeTasks"],
            Resource: pulumi
              .output(args.training.clusterArn)
              .apply((cluster) => `${cluster.replace(":cluster/", ":task/")}/*`),
          },
          {
            Sid: "PassTrainingRoles",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: args.trainingRoleArns,
          },
          {
            Sid: "SyncIntegrationRule",
            Effect: "Allow",
            Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
            Resource: pulumi.interpolate`arn:aws:events:${region}:${account}:rule/StepFunctionsGetEventsForECSTaskRule`,
          },
          stateMachineLogDelivery(),
          {
            Sid: "Tracing",
            Effect: "Allow",
            Action: [
              "xray:PutTraceSegments",
              "xray:PutTelemetryRecords",
              "xray:GetSamplingRules",
              "xray:GetSamplingTargets",
            ],
            Resource: "*",
          },
        ],
      },
      child,
    );
    const definition = pulumi
      .all([pulumi.output(args.functions), pulumi.output(args.training)])
      .apply(([functions, training]) =>
        JSON.stringify(retrainingDefinition(functions, training as TrainingTask)),
      );
    this.stateMachine = new aws.sfn.StateMachine(
      name,
      {
        name: args.stateMachineName,
        type: "STANDARD",
        roleArn: role.arn,
        definition,
        loggingConfiguration: {
          level: "ERROR",
          includeExecutionData: true,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      // Step Functions validates the logging destination with the role at creation: policy first.
      { ...child, dependsOn: [policy] },
    );
    this.registerOutputs({ arn: this.stateMachine.arn });
  }
}
