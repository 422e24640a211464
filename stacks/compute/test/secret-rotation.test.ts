/**
 * MLflow reads the RDS-managed master password only when a task starts, and RDS rotates it every 7 days
 * (issue 14, fault 6). Every service that injects that secret must be redeployed by the secret's own
 * `RotationSucceeded` event: the rule matches the secret the foundation layer exports, its target starts a
 * state machine that force-deploys that very service, and each role may do exactly its step. Read from
 * the plan of every environment.
 */
import { FORCE_DEPLOY_RESOURCE, rotationSucceededPattern } from "@tradai/components";
import { ENVIRONMENTS, type FoundationOutputs } from "@tradai/contracts";
import type { PlannedResource } from "@tradai/plan";
import { type PlanView, planLayers } from "@tradai/plan";

const SERVICE = "aws:ecs/service:Service";
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";
const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const CLUSTER = "aws:ecs/cluster:Cluster";

interface Statement {
  Action: string | string[];
  Resource?: string | string[];
}
const statements = (policy: PlannedResource) =>
  JSON.parse(String(policy.inputs.policy)).Statement as Statement[];
const deps = (r: PlannedResource, input: string) => r.propertyDependencies[input] ?? [];

describe.each(ENVIRONMENTS)("%s: a rotated database password redeploys its readers", (env) => {
  let compute: PlanView;
  let database: FoundationOutputs["database"];
  beforeAll(async () => {
    const views = await planLayers(env, "compute");
    compute = views.compute as PlanView;
    database = ((views.foundation as PlanView).outputs as unknown as FoundationOutputs).database;
  }, 120_000);

  /** ECS services whose task definition injects the foundation's master secret. */
  const readers = () =>
    compute.ofType(TASK_DEF).flatMap((task) => {
      const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as {
        secrets?: { valueFrom: string }[];
      }[];
      const reads = (container?.secrets ?? []).some((s) => s.valueFrom.startsWith(database.masterSecretArn));
      const service = compute.ofType(SERVICE).find((s) => deps(s, "taskDefinition").includes(task.urn));
      return reads && service ? [service] : [];
    });

  it("MLflow reads the master secret at start (the premise)", () => {
    expect(readers().map((s) => s.name)).toEqual(["mlflow"]);
  });

  it("a rule on the secret's RotationSucceeded starts a state machine that force-deploys each reader", () => {
    const clusterArn = compute.one(CLUSTER, "cluster").inputs;
    for (const service of readers()) {
      const rule = compute.one(RULE, `${service.name}-secret-rotation-rule`);
      expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual(
        rotationSucceededPattern(database.masterSecretArn),
      );
      const target = compute.ofType(TARGET).find((t) => deps(t, "rule").includes(rule.urn));
      const machine = compute
        .ofType(STATE_MACHINE)
        .find((m) => deps(target as PlannedResource, "arn").includes(m.urn));
      expect(machine).toBeDefined();
      const definition = JSON.parse(String(machine?.inputs.definition)) as {
        StartAt: string;
        States: Record<string, { Resource: string; Parameters: Record<string, unknown> }>;
      };
      const task = definition.States[definition.StartAt];
      expect(task?.Resource).toBe(FORCE_DEPLOY_RESOURCE);
      expect(task?.Parameters).toEqual({
        Cluster: `arn:aws:ecs:eu-central-1:123456789012:cluster/${clusterArn.name}`,
        Service: service.inputs.name,
        ForceNewDeployment: true,
      });

      // The state machine may update exactly this service; EventBridge may start exactly this machine.
      const machinePolicy = compute
        .ofType(ROLE_POLICY)
        .find((p) =>
          deps(machine as PlannedResource, "roleArn").some((role) => deps(p, "role").includes(role)),
        );
      expect(statements(machinePolicy as PlannedResource)).toContainEqual(
        expect.objectContaining({
          Action: "ecs:UpdateService",
          Resource: `arn:aws:ecs:eu-central-1:123456789012:service/${clusterArn.name}/${service.inputs.name}`,
        }),
      );
      const eventsPolicy = compute
        .ofType(ROLE_POLICY)
        .find((p) =>
          deps(target as PlannedResource, "roleArn").some((role) => deps(p, "role").includes(role)),
        );
      expect(statements(eventsPolicy as PlannedResource)).toEqual([
        expect.objectContaining({
          Action: "states:StartExecution",
          Resource: `arn:aws:states:eu-central-1:123456789012:stateMachine:${machine?.inputs.name}`,
        }),
      ]);
      // The target waits for the permission it is delivered with.
      expect(target?.dependsOn).toContain(eventsPolicy?.urn);
    }
  });
});
