import { retrainingDefinition } from "../src/compute/retraining-definition";
import { RetrainingWorkflow } from "../src/compute/retraining-workflow";
import { ACCOUNT_ID, capture, expectWellFormed, json, mockArn, mockPulumi, REGION } from "./harness";

const MACHINE = "aws:sfn/stateMachine:StateMachine";

beforeAll(() => mockPulumi());

const functions = {
  updateStatus: "fn-update",
  checkRetrainingNeeded: "fn-check",
  compareModels: "fn-compare",
  promoteModel: "fn-promote",
  notifyCompletion: "fn-notify",
};
const training = {
  clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/tradai-dev-cluster`,
  taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/tradai-dev-training:7`,
  containerName: "strategy-service",
  subnetIds: ["subnet-a"],
  securityGroupIds: ["sg-s"],
};

describe("RetrainingWorkflow", () => {
  it("runs the typed definition with a role limited to its five functions and the training task", async () => {
    const c = await capture(
      (opts) =>
        new RetrainingWorkflow(
          "retraining",
          {
            stateMachineName: "tradai-dev-retraining",
            functions,
            training,
            trainingRoleArns: ["task-role", "execution-role"],
            logRetentionDays: 30,
          },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:compute:RetrainingWorkflow", "retraining");
    const machine = c.one(MACHINE, "retraining");
    expect(machine.inputs).toMatchObject({
      name: "tradai-dev-retraining",
      type: "STANDARD",
      tracingConfiguration: { enabled: true },
      loggingConfiguration: {
        level: "ERROR",
        includeExecutionData: true,
        logDestination: `${mockArn("aws:cloudwatch/logGroup:LogGroup", "/aws/vendedlogs/states/tradai-dev-retraining")}:*`,
      },
    });
    expect(json(machine.inputs.definition)).toEqual(retrainingDefinition(functions, training));
    const policy = c.one("aws:iam/rolePolicy:RolePolicy", "retraining-policy");
    // Step Functions validates the log destination with the role at creation.
    expect(machine.opts.dependsOn).toEqual([policy.resource]);
    const bySid = Object.fromEntries(
      (json(policy.inputs.policy).Statement as { Sid: string }[]).map((s) => [s.Sid, s]),
    );
    expect(bySid.InvokeSteps).toMatchObject({
      Action: "lambda:InvokeFunction",
      Resource: Object.values(functions),
    });
    // Any revision of the training family, on the training cluster only.
    expect(bySid.RunTraining).toMatchObject({
      Resource: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/tradai-dev-training:*`,
      Condition: { ArnEquals: { "ecs:cluster": training.clusterArn } },
    });
    expect(bySid.TrackTraining).toMatchObject({
      Resource: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/tradai-dev-cluster/*`,
    });
    expect(bySid.PassTrainingRoles).toMatchObject({
      Action: "iam:PassRole",
      Resource: ["task-role", "execution-role"],
    });
    expect(bySid.SyncIntegrationRule).toMatchObject({
      Resource: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/StepFunctionsGetEventsForECSTaskRule`,
    });
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "retraining-logs").inputs.retentionInDays).toBe(30);
  });
});
