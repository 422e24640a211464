import {
  FORCE_DEPLOY_RESOURCE,
  forceDeployDefinition,
  RedeployOnRotation,
  rotationSucceededPattern,
} from "../src/compute/rotation-redeploy";
import { capture, expectWellFormed, json, mockArn, mockPulumi } from "./harness";

const MACHINE = "aws:sfn/stateMachine:StateMachine";
const POLICY = "aws:iam/rolePolicy:RolePolicy";

beforeAll(() => mockPulumi());

describe("RedeployOnRotation", () => {
  it("force-deploys the service through an Express state machine when its secret rotates", async () => {
    const c = await capture(
      (opts) =>
        new RedeployOnRotation(
          "mlflow-rotation",
          {
            secretArn: "secret-arn",
            clusterArn: "cluster-arn",
            service: { name: "mlflow", arn: "service-arn" },
            stateMachineName: "tradai-dev-mlflow-redeploy",
            logRetentionDays: 30,
          },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:compute:RedeployOnRotation", "mlflow-rotation");
    const machine = c.one(MACHINE, "mlflow-rotation");
    expect(machine.inputs).toMatchObject({
      name: "tradai-dev-mlflow-redeploy",
      type: "EXPRESS",
      loggingConfiguration: {
        level: "ERROR",
        includeExecutionData: false,
        logDestination: `${mockArn("aws:cloudwatch/logGroup:LogGroup", "/aws/vendedlogs/states/tradai-dev-mlflow-redeploy")}:*`,
      },
    });
    expect(json(machine.inputs.definition)).toEqual(forceDeployDefinition("cluster-arn", "mlflow"));
    const policy = c.one(POLICY, "mlflow-rotation-policy");
    expect(machine.opts.dependsOn).toEqual([policy.resource]);
    expect(json(policy.inputs.policy).Statement[0]).toEqual({
      Sid: "ForceDeploy",
      Effect: "Allow",
      Action: "ecs:UpdateService",
      Resource: "service-arn",
    });
    expect(
      json(c.one("aws:cloudwatch/eventRule:EventRule", "mlflow-rotation-rule").inputs.eventPattern),
    ).toEqual(rotationSucceededPattern("secret-arn"));
    const target = c.one("aws:cloudwatch/eventTarget:EventTarget", "mlflow-rotation-target");
    const machineArn = mockArn(MACHINE, "tradai-dev-mlflow-redeploy");
    expect(target.inputs).toMatchObject({
      arn: machineArn,
      roleArn: mockArn("aws:iam/role:Role", "mlflow-rotation-events-role"),
    });
    const eventsPolicy = c.one(POLICY, "mlflow-rotation-events-policy");
    expect(target.opts.dependsOn).toEqual([eventsPolicy.resource]);
    expect(json(eventsPolicy.inputs.policy).Statement).toEqual([
      { Sid: "StartRedeploy", Effect: "Allow", Action: "states:StartExecution", Resource: machineArn },
    ]);
  });

  it("matches only the successful rotation of the one secret", () => {
    expect(rotationSucceededPattern("arn:s")).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["AWS Service Event via CloudTrail"],
      detail: {
        eventSource: ["secretsmanager.amazonaws.com"],
        eventName: ["RotationSucceeded"],
        additionalEventData: { SecretId: ["arn:s"] },
      },
    });
    const state = (forceDeployDefinition("c", "s").States as Record<string, Record<string, unknown>>)
      .ForceNewDeployment;
    expect(state).toMatchObject({
      Resource: FORCE_DEPLOY_RESOURCE,
      Parameters: { Cluster: "c", Service: "s", ForceNewDeployment: true },
    });
  });
});
