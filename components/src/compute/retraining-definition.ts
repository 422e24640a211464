/**
 * The retraining workflow (docs/runtime-contracts.md): check -> train -> compare -> promote -> notify, with
 * update-status on every job transition and a failure branch that marks the job FAILED and notifies.
 */
import type { LaunchVariable } from "@tradai/contracts";
import type { CatchRule, RetryRule, StateMachineDefinition, TaskState } from "./asl";

/**
 * What the training task definition leaves to this workflow, per run (@tradai/contracts
 * `TASK_LAUNCH_VARIABLES`): a variable renamed in strategy-service's training schema fails to compile here.
 */
const TRAINING_LAUNCH: Record<LaunchVariable<"training">, { Value: string } | { "Value.$": string }> = {
  MODE: { Value: "training" },
  MODEL_NAME: { "Value.$": "$.modelName" },
  JOB_ID: { "Value.$": "$.jobId" },
};

export interface RetrainingFunctions {
  updateStatus: string;
  checkRetrainingNeeded: string;
  compareModels: string;
  promoteModel: string;
  notifyCompletion: string;
}

export interface TrainingTask {
  clusterArn: string;
  taskDefinitionArn: string;
  containerName: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

const LAMBDA_RETRY: RetryRule = {
  ErrorEquals: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
};
const TO_FAILURE: CatchRule[] = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MarkFailed" }];

function invoke(
  functionArn: string,
  payload: Record<string, unknown>,
  resultPath: string | null,
  next: string,
  catchErrors = true,
): TaskState {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: functionArn, Payload: payload },
    ResultSelector: { "result.$": "$.Payload" },
    ResultPath: resultPath,
    Retry: [LAMBDA_RETRY],
    ...(catchErrors ? { Catch: TO_FAILURE } : {}),
    Next: next,
  };
}

/** Notifies the outcome with the reasons found at `reasonsPath` (the check's or the comparison's). */
function notify(fn: RetrainingFunctions, outcome: string, reasonsPath: string, next: string): TaskState {
  return invoke(
    fn.notifyCompletion,
    { "jobId.$": "$.jobId", "modelName.$": "$.modelName", outcome, "reasons.$": reasonsPath },
    null,
    next,
  );
}

/** The state machine definition, from the deployed functions and the training task. */
export function retrainingDefinition(
  fn: RetrainingFunctions,
  training: TrainingTask,
): StateMachineDefinition {
  const status = (value: string, next: string, catchErrors = true) =>
    invoke(fn.updateStatus, { "jobId.$": "$.jobId", status: value }, null, next, catchErrors);
  return {
    Comment: "TradAI model retraining: check, train, compare, promote, notify",
    StartAt: "MarkRunning",
    TimeoutSeconds: 6 * 3600,
    States: {
      MarkRunning: status("RUNNING", "CheckRetrainingNeeded"),
      CheckRetrainingNeeded: invoke(
        fn.checkRetrainingNeeded,
        { "jobId.$": "$.jobId", "modelName.$": "$.modelName", "trigger.$": "$.trigger" },
        "$.check",
        "RetrainingNeeded",
      ),
      RetrainingNeeded: {
        Type: "Choice",
        Choices: [{ Variable: "$.check.result.retrain", BooleanEquals: true, Next: "Train" }],
        Default: "MarkSkipped",
      },
      Train: {
        Type: "Task",
        Resource: "arn:aws:states:::ecs:runTask.sync",
        Parameters: {
          Cluster: training.clusterArn,
          TaskDefinition: training.taskDefinitionArn,
          LaunchType: "FARGATE",
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              Subnets: training.subnetIds,
              SecurityGroups: training.securityGroupIds,
              AssignPublicIp: "DISABLED",
            },
          },
          Overrides: {
            ContainerOverrides: [
              {
                Name: training.containerName,
                Environment: Object.entries(TRAINING_LAUNCH).map(([Name, value]) => ({ Name, ...value })),
              },
            ],
          },
        },
        ResultPath: null,
        TimeoutSeconds: 4 * 3600,
        Retry: [
          { ErrorEquals: ["ECS.AmazonECSException"], IntervalSeconds: 30, MaxAttempts: 2, BackoffRate: 2 },
        ],
        Catch: TO_FAILURE,
        Next: "CompareModels",
      },
      CompareModels: invoke(
        fn.compareModels,
        { "jobId.$": "$.jobId", "modelName.$": "$.modelName" },
        "$.compare",
        "PromoteDecision",
      ),
      PromoteDecision: {
        Type: "Choice",
        Choices: [{ Variable: "$.compare.result.promote", BooleanEquals: true, Next: "PromoteModel" }],
        Default: "MarkNotPromoted",
      },
      PromoteModel: invoke(
        fn.promoteModel,
        {
          "jobId.$": "$.jobId",
          "modelName.$": "$.modelName",
          "candidateVersion.$": "$.compare.result.candidateVersion",
        },
        "$.promotion",
        "MarkPromoted",
      ),
      MarkPromoted: status("COMPLETED", "NotifyPromoted"),
      NotifyPromoted: notify(fn, "promoted", "$.compare.result.reasons", "Done"),
      MarkNotPromoted: status("COMPLETED", "NotifyNotPromoted"),
      NotifyNotPromoted: notify(fn, "not-promoted", "$.compare.result.reasons", "Done"),
      MarkSkipped: status("COMPLETED", "NotifySkipped"),
      NotifySkipped: notify(fn, "skipped", "$.check.result.reasons", "Done"),
      Done: { Type: "Succeed" },
      // The failure branch must not loop into itself: its own errors end the execution as failed.
      MarkFailed: status("FAILED", "NotifyFailed", false),
      NotifyFailed: invoke(
        fn.notifyCompletion,
        { "jobId.$": "$.jobId", "modelName.$": "$.modelName", outcome: "failed", "error.$": "$.error" },
        null,
        "Failed",
        false,
      ),
      Failed: {
        Type: "Fail",
        Error: "RetrainingFailed",
        Cause: "A step of the retraining workflow failed; see the execution history.",
      },
    },
  };
}
