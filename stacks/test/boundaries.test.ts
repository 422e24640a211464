/**
 * Plan-driven boundary tests (issue 14): the offline plan of dev, staging and prod against the code's own
 * schemas and constants. Each check also runs on a copy of the prod plan with one seeded mismatch, and
 * must fail naming both sides.
 */
import { ENVIRONMENTS, type Environment } from "@tradai/contracts";
import { planLayers } from "@tradai/plan";
import {
  checkBoundaries,
  checkEnvironments,
  checkMetrics,
  checkServices,
  checkTargets,
  checkTokenKind,
  type EnvironmentPlan,
  type Resource,
} from "./boundaries";
import { CODE_SIDES } from "./sides";

const plans: Partial<Record<Environment, EnvironmentPlan>> = {};
beforeAll(async () => {
  for (const env of ENVIRONMENTS) {
    const views = await planLayers(env, "edge");
    const layer = (l: "persistent" | "foundation" | "compute" | "edge") => {
      const view = views[l];
      if (!view) throw new Error(`${env}/${l} was not planned`);
      return { resources: view.resources as Resource[], outputs: view.outputs };
    };
    plans[env] = {
      env,
      layers: {
        persistent: layer("persistent"),
        foundation: layer("foundation"),
        compute: layer("compute"),
        edge: layer("edge"),
      },
    };
  }
}, 600_000);

const planOf = (env: Environment) => plans[env] as EnvironmentPlan;
/** A deep copy of prod's plan to seed one mismatch into. */
const mutable = () => structuredClone(planOf("prod"));
const find = (plan: EnvironmentPlan, type: string, match: (r: Resource) => boolean) => {
  const found = Object.values(plan.layers)
    .flatMap((l) => l.resources)
    .find((r) => r.type === type && match(r));
  if (!found) throw new Error(`no ${type} to mutate`);
  return found;
};
const fn = (plan: EnvironmentPlan, name: string) =>
  find(plan, "aws:lambda/function:Function", (r) => r.inputs.name === `tradai-prod-${name}`);
const task = (plan: EnvironmentPlan, family: string) =>
  find(plan, "aws:ecs/taskDefinition:TaskDefinition", (r) => r.inputs.family === `tradai-prod-${family}`);
/** Rewrites the first container definition of a task. */
function editContainer(resource: Resource, edit: (c: Record<string, unknown>) => void) {
  const defs = JSON.parse(String(resource.inputs.containerDefinitions)) as Record<string, unknown>[];
  edit(defs[0] as Record<string, unknown>);
  resource.inputs.containerDefinitions = JSON.stringify(defs);
}
const messages = (ms: { message: string }[]) => ms.map((m) => m.message);

describe.each(ENVIRONMENTS)("%s plan: every boundary holds", (env) => {
  it("every Lambda's and ECS task's environment parses with its code's start schema, and sets nothing else", () => {
    expect(messages(checkEnvironments(planOf(env), CODE_SIDES))).toEqual([]);
  });
  it("the API Gateway authorizer and the backend agree on the token kind and scopes", () => {
    expect(messages(checkTokenKind(planOf(env), CODE_SIDES))).toEqual([]);
  });
  it("every platform metric an alarm or the dashboard watches is emitted by the code", () => {
    expect(messages(checkMetrics(planOf(env), CODE_SIDES))).toEqual([]);
  });
  it("every task, target and event source names something planned; queues outlast their consumers 6x", () => {
    expect(messages(checkTargets(planOf(env)))).toEqual([]);
  });
  it("every ECS task's port, health path and Cloud Map name match the service's config and its callers", () => {
    expect(messages(checkServices(planOf(env), CODE_SIDES))).toEqual([]);
  });
});

describe("seeded mismatches fail naming both sides", () => {
  it("a renamed variable on a Lambda", () => {
    const plan = mutable();
    const vars = (fn(plan, "sqs-consumer").inputs.environment as { variables: Record<string, string> })
      .variables;
    vars.JOBS_TABLE_NAME = vars.JOBS_TABLE as string;
    delete vars.JOBS_TABLE;
    expect(messages(checkEnvironments(plan, CODE_SIDES)).sort()).toEqual([
      '@tradai/contracts LAMBDA_ENV["sqs-consumer"] (lambdas/sqs-consumer/src/config.ts) requires JOBS_TABLE, but the plan does not set it on Lambda tradai-prod-sqs-consumer',
      'the plan sets JOBS_TABLE_NAME on Lambda tradai-prod-sqs-consumer, but @tradai/contracts LAMBDA_ENV["sqs-consumer"] (lambdas/sqs-consumer/src/config.ts) reads no such variable',
    ]);
  });

  it("a renamed variable on an ECS task", () => {
    const plan = mutable();
    editContainer(task(plan, "backend-api"), (c) => {
      const env = c.environment as { name: string; value: string }[];
      const entry = env.find((e) => e.name === "STRATEGIES_TABLE");
      if (entry) entry.name = "STRATEGY_TABLE";
    });
    expect(messages(checkEnvironments(plan, CODE_SIDES)).sort()).toEqual([
      '@tradai/contracts SERVICE_ENV["backend-api"] requires STRATEGIES_TABLE, but the plan does not set it on task definition tradai-prod-backend-api',
      'the plan sets STRATEGY_TABLE on task definition tradai-prod-backend-api, but @tradai/contracts SERVICE_ENV["backend-api"] reads no such variable',
    ]);
  });

  it("a renamed variable on a strategy-service task (training mode)", () => {
    const plan = mutable();
    editContainer(task(plan, "training"), (c) => {
      const env = c.environment as { name: string; value: string }[];
      const entry = env.find((e) => e.name === "MLFLOW_TRACKING_URI");
      if (entry) entry.name = "MLFLOW_URI";
    });
    expect(messages(checkEnvironments(plan, CODE_SIDES)).sort()).toEqual([
      '@tradai/contracts SERVICE_ENV["training"] requires MLFLOW_TRACKING_URI, but the plan does not set it on task definition tradai-prod-training',
      'the plan sets MLFLOW_URI on task definition tradai-prod-training, but @tradai/contracts SERVICE_ENV["training"] reads no such variable',
    ]);
  });

  it("a variable the MLflow entrypoint does not read", () => {
    const plan = mutable();
    editContainer(task(plan, "mlflow"), (c) => {
      const env = c.environment as { name: string; value: string }[];
      const entry = env.find((e) => e.name === "MLFLOW_STATIC_PREFIX");
      if (entry) entry.name = "MLFLOW_PREFIX";
    });
    expect(messages(checkEnvironments(plan, CODE_SIDES))).toEqual([
      'the plan sets MLFLOW_PREFIX on task definition tradai-prod-mlflow, but @tradai/contracts SERVICE_ENV["mlflow"] (services/mlflow/entrypoint.py) reads no such variable',
    ]);
  });

  it("a token kind the backend does not verify", () => {
    const plan = mutable();
    editContainer(task(plan, "backend-api"), (c) => {
      const env = c.environment as { name: string; value: string }[];
      c.environment = env
        .filter((e) => e.name !== "COGNITO_REQUIRED_SCOPES")
        .map((e) => (e.name === "COGNITO_TOKEN_USE" ? { ...e, value: "id" } : e));
    });
    expect(messages(checkTokenKind(plan, CODE_SIDES))).toEqual(
      expect.arrayContaining([
        "API Gateway ANY /v1/{proxy+} accepts access tokens with scopes [tradai-api/v1], but backend-api " +
          "(services/backend/src/config.ts, its planned environment) verifies id tokens with scopes []",
      ]),
    );
  });

  it("a changed metric name in an alarm", () => {
    const plan = mutable();
    const alarm = find(
      plan,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      (r) => r.inputs.metricName === "StaleHeartbeats",
    );
    alarm.inputs.metricName = "StaleHeartbeat";
    expect(messages(checkMetrics(plan, CODE_SIDES))).toEqual([
      expect.stringMatching(
        /^alarm tradai-prod-alarm-stale-heartbeats watches TradAI\/StaleHeartbeat, but no code emits it \(@tradai\/contracts PLATFORM_METRICS: .*StaleHeartbeats/,
      ),
    ]);
  });

  it("a Step Functions task naming a function the plan does not have", () => {
    const plan = mutable();
    const machine = find(plan, "aws:sfn/stateMachine:StateMachine", () => true);
    machine.inputs.definition = String(machine.inputs.definition).replace(
      "function:tradai-prod-promote-model",
      "function:tradai-prod-promote-models",
    );
    expect(messages(checkTargets(plan))).toEqual([
      expect.stringMatching(
        /^state machine tradai-prod-retraining state \w+ invokes arn:aws:lambda:.*:function:tradai-prod-promote-models, but the plan has no such function$/,
      ),
    ]);
  });

  it("a queue whose visibility timeout is under six times its consumer's timeout", () => {
    const plan = mutable();
    const queue = find(plan, "aws:sqs/queue:Queue", (r) => r.inputs.name === "tradai-prod-backtest-jobs");
    queue.inputs.visibilityTimeoutSeconds = 300;
    expect(messages(checkTargets(plan))).toEqual([
      "queue tradai-prod-backtest-jobs (foundation) has a visibility timeout of 300 s, less than 6 x the 60 s timeout of its consumer tradai-prod-sqs-consumer (compute)",
    ]);
  });

  it("a wrong container port", () => {
    const plan = mutable();
    editContainer(task(plan, "data-collection"), (c) => {
      c.portMappings = [{ containerPort: 8081, protocol: "tcp" }];
    });
    expect(messages(checkServices(plan, CODE_SIDES))).toEqual(
      expect.arrayContaining([
        "task definition tradai-prod-data-collection maps container port 8081, but @tradai/contracts DataCollectionEnv.PORT listens on 8080 with its planned environment",
        expect.stringMatching(
          /^Lambda tradai-prod-data-collection-proxy DATA_COLLECTION_URL calls data-collection\.tradai-prod\.internal:8080, but data-collection's task listens on 8081$/,
        ),
      ]),
    );
  });

  it("a wrong health path on the load balancer", () => {
    const plan = mutable();
    const group = find(plan, "aws:lb/targetGroup:TargetGroup", (r) => r.name === "alb-backendApi");
    group.inputs.healthCheck = { ...(group.inputs.healthCheck as object), path: "/healthz" };
    expect(messages(checkServices(plan, CODE_SIDES))).toEqual([
      "target group alb-backendApi checks /healthz, but @tradai/contracts BackendEnv.PORT answers health on /health",
    ]);
  });

  it("the unmutated prod plan has no mismatch at all", () => {
    expect(messages(checkBoundaries(mutable(), CODE_SIDES))).toEqual([]);
  });
});
