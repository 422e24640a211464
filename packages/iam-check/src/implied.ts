/**
 * Requests AWS makes on the caller's behalf, which the caller's role must also allow: KMS on the key of
 * an encrypted topic, queue or bucket; iam:PassRole for the roles of a task definition RunTask starts;
 * ecs:TagResource when RunTask tags the task. And the calls a state machine's role makes, derived from
 * its ASL definition (each Task state's service integration implies its actions).
 */
import { type IamRequest, requestsOf, UnknownCallError } from "./derive";
import type { EnvPlan } from "./plan-model";
import type { PolicyDocument } from "./simulate";

export interface PlannedRequest extends IamRequest {
  /** The resource's own policy (bucket, queue, key), evaluated with the identity policies. */
  resourcePolicy?: PolicyDocument;
  /** Why the request is made when the code did not make it itself, e.g. `sns:Publish on an encrypted topic`. */
  impliedBy?: string;
}

/** KMS actions a call needs on the key of the resource it touches (SSE with a customer-managed key). */
const KMS_FOR: Record<string, { service: string; actions: string[] }> = {
  "sns:Publish": { service: "sns", actions: ["kms:GenerateDataKey", "kms:Decrypt"] },
  "sqs:SendMessage": { service: "sqs", actions: ["kms:GenerateDataKey", "kms:Decrypt"] },
  "sqs:SendMessageBatch": { service: "sqs", actions: ["kms:GenerateDataKey", "kms:Decrypt"] },
  "sqs:ReceiveMessage": { service: "sqs", actions: ["kms:Decrypt"] },
  "s3:PutObject": { service: "s3", actions: ["kms:GenerateDataKey"] },
  "s3:GetObject": { service: "s3", actions: ["kms:Decrypt"] },
};

/** The ARN a key or resource policy is attached to: an object's bucket, else the resource itself. */
export function policyHolder(resource: string): string {
  return resource.startsWith("arn:aws:s3:::") ? (resource.split("/")[0] ?? resource) : resource;
}

const taskDefinitionFamily = (arn: string) => arn.replace(/:\d+$/, "");

/** S3 answers a read of a missing object with 404 only to a caller that may list the bucket; else 403. */
const NOT_FOUND = new Set(["NoSuchKey", "NotFound"]);

export function notFoundRequests(request: IamRequest, error: string | undefined): PlannedRequest[] {
  if (!error || !NOT_FOUND.has(error) || !request.resource.startsWith("arn:aws:s3:::")) return [];
  if (request.action !== "s3:GetObject") return [];
  return [
    {
      action: "s3:ListBucket",
      resource: policyHolder(request.resource),
      context: {},
      impliedBy: `${request.action} of a missing object (${error}): without s3:ListBucket S3 answers 403, not 404`,
    },
  ];
}

export function impliedRequests(request: IamRequest, plan: EnvPlan): PlannedRequest[] {
  const implied: PlannedRequest[] = [];
  const kms = KMS_FOR[request.action];
  const key = kms ? plan.keys.get(policyHolder(request.resource)) : undefined;
  if (kms && key) {
    for (const action of kms.actions) {
      implied.push({
        action,
        resource: key.keyArn,
        context: {
          "kms:ViaService": `${kms.service}.${plan.region}.amazonaws.com`,
          "kms:CallerAccount": plan.accountId,
        },
        ...(key.keyPolicy ? { resourcePolicy: key.keyPolicy } : {}),
        impliedBy: `${request.action} on ${request.resource} (encrypted with ${key.keyArn})`,
      });
    }
  }
  if (request.action === "ecs:RunTask") {
    for (const role of plan.taskRoles.get(taskDefinitionFamily(request.resource)) ?? []) {
      implied.push({
        action: "iam:PassRole",
        resource: role,
        context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        impliedBy: `ecs:RunTask of ${request.resource}`,
      });
    }
  }
  return implied;
}

/** A RunTask input's tags make ECS tag the new task, which needs ecs:TagResource on it. */
export function taggedTaskRequest(input: Record<string, unknown>, plan: EnvPlan): PlannedRequest | undefined {
  if (!Array.isArray(input.tags) || input.tags.length === 0) return undefined;
  const cluster = typeof input.cluster === "string" ? input.cluster.split("/").pop() : "default";
  return {
    action: "ecs:TagResource",
    resource: `arn:aws:ecs:${plan.region}:${plan.accountId}:task/${cluster}/*`,
    context: {},
    impliedBy: "ecs:RunTask with tags",
  };
}

type State = Record<string, unknown> & {
  Type?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
};

function states(definition: Record<string, unknown>): [string, State][] {
  const found: [string, State][] = [];
  for (const [name, state] of Object.entries((definition.States ?? {}) as Record<string, State>)) {
    found.push([name, state]);
    for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) found.push(...states(branch));
    const iterator = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (iterator) found.push(...states(iterator));
  }
  return found;
}

const clusterName = (value: unknown) =>
  (typeof value === "string" ? value.split("/").pop() : undefined) ?? "default";

/**
 * Step Functions' AWS SDK integrations name the service as the SDK does (`aws-sdk:<service>:<apiAction>`);
 * where that is not the IAM prefix, this says which one it is. The action is the API action in PascalCase.
 */
const SDK_INTEGRATION_PREFIX: Record<string, string> = {
  sfn: "states",
  eventbridge: "events",
  cloudwatchlogs: "logs",
};

/** A Task state whose integration the check cannot turn into requests: a failure, never a silent pass. */
export interface UnknownIntegration {
  state: string;
  resource: string;
  reason: string;
}

/**
 * The SDK input a Task state's Parameters stand for. Step Functions takes the SDK's members in PascalCase
 * (`Cluster` for ECS's `cluster`), so each key is also given with its first letter lowered. A `<key>.$`
 * parameter is a JSONPath into the execution's data, unknown when the plan is made: it is left out, so
 * its ARN variable becomes `*` — the request is then allowed only by a grant on every value the execution
 * could name, which is what the role needs when the input chooses the resource.
 */
function sdkInput(parameters: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith(".$")) continue;
    input[key] = value;
    const lower = `${key[0]?.toLowerCase() ?? ""}${key.slice(1)}`;
    if (!(lower in parameters)) input[lower] = value;
  }
  return input;
}

/**
 * The requests of one `aws-sdk:<service>:<apiAction>` Task state, derived like a recorded SDK call (same
 * action and resource rules). `.waitForTaskToken` changes nothing for the role: the worker that gets the
 * token answers with its own credentials. AWS SDK integrations support no `.sync`.
 */
async function sdkIntegrationRequests(
  name: string,
  resource: string,
  parameters: Record<string, unknown>,
  plan: EnvPlan,
): Promise<PlannedRequest[]> {
  const [service = "", api = ""] = resource
    .slice("arn:aws:states:::aws-sdk:".length)
    .replace(/\.waitForTaskToken$/, "")
    .split(":");
  const call = {
    kind: "call" as const,
    principal: name,
    signingName: SDK_INTEGRATION_PREFIX[service] ?? service,
    operation: `${api[0]?.toUpperCase() ?? ""}${api.slice(1)}`,
    input: sdkInput(parameters),
    names: {},
  };
  const requests = await requestsOf(call, { accountId: plan.accountId, region: plan.region });
  const via = `ASL ${resource}`;
  return requests.flatMap((r) => {
    const request: PlannedRequest = { ...r, impliedBy: via };
    return [request, ...impliedRequests(request, plan).map((i) => ({ ...i, impliedBy: via }))];
  });
}

/**
 * The requests a state machine's role makes, from its definition: `lambda:invoke` -> InvokeFunction;
 * `ecs:runTask` -> RunTask (+ PassRole of the task's roles), `.sync` adds StopTask/DescribeTasks on the
 * task and the EventBridge managed rule Step Functions uses to follow it; `sns:publish` -> Publish;
 * `aws-sdk:<service>:<apiAction>` -> that API's action on the resource its Parameters name.
 * `.waitForTaskToken` adds nothing for the role (the worker answers with its own credentials). A Task
 * state with any other integration is returned in `unknown`, so the check fails instead of passing it.
 * Execution logging and X-Ray tracing (from the state machine's configuration) are included by the caller.
 */
export async function stateMachineRequests(
  definition: Record<string, unknown>,
  plan: EnvPlan,
): Promise<{ requests: PlannedRequest[]; unknown: UnknownIntegration[] }> {
  const out: PlannedRequest[] = [];
  const unknown: UnknownIntegration[] = [];
  const at = `${plan.region}:${plan.accountId}`;
  for (const [name, state] of states(definition)) {
    if (state.Type !== "Task" || typeof state.Resource !== "string") continue;
    const params = state.Parameters ?? {};
    const resource = state.Resource;
    const via = `ASL ${resource}`;
    if (resource.startsWith("arn:aws:states:::lambda:invoke")) {
      out.push({
        action: "lambda:InvokeFunction",
        resource: String(params.FunctionName),
        context: {},
        impliedBy: via,
      });
    } else if (resource.startsWith("arn:aws:lambda:")) {
      out.push({ action: "lambda:InvokeFunction", resource, context: {}, impliedBy: via });
    } else if (resource.startsWith("arn:aws:states:::ecs:runTask")) {
      const taskDefinition = String(params.TaskDefinition);
      const td = taskDefinition.startsWith("arn:")
        ? taskDefinition
        : `arn:aws:ecs:${at}:task-definition/${taskDefinition}`;
      const clusterArn = String(params.Cluster);
      const run: PlannedRequest = {
        action: "ecs:RunTask",
        resource: /:\d+$/.test(td) ? td : `${td}:1`,
        context: { "ecs:cluster": clusterArn },
        impliedBy: via,
      };
      out.push(run, ...impliedRequests(run, plan).map((r) => ({ ...r, impliedBy: via })));
      if (resource.endsWith(".sync")) {
        // The task's id is made when it starts: any task of the cluster is the resource the role needs.
        const task = `arn:aws:ecs:${at}:task/${clusterName(params.Cluster)}/0123456789abcdef0123456789abcdef`;
        for (const action of ["ecs:StopTask", "ecs:DescribeTasks"]) {
          out.push({ action, resource: task, context: { "ecs:cluster": clusterArn }, impliedBy: via });
        }
        const rule = `arn:aws:events:${at}:rule/StepFunctionsGetEventsForECSTaskRule`;
        for (const action of ["events:PutTargets", "events:PutRule", "events:DescribeRule"]) {
          out.push({ action, resource: rule, context: {}, impliedBy: via });
        }
      }
    } else if (resource.startsWith("arn:aws:states:::sns:publish")) {
      out.push({ action: "sns:Publish", resource: String(params.TopicArn), context: {}, impliedBy: via });
    } else if (resource.startsWith("arn:aws:states:::aws-sdk:")) {
      if (resource.endsWith(".sync")) {
        unknown.push({ state: name, resource, reason: "AWS SDK integrations support no .sync" });
        continue;
      }
      try {
        out.push(...(await sdkIntegrationRequests(name, resource, params, plan)));
      } catch (error) {
        if (!(error instanceof UnknownCallError)) throw error;
        unknown.push({ state: name, resource, reason: error.message });
      }
    } else if (!/^arn:aws:states:[^:]+:[^:]+:activity:/.test(resource)) {
      // An activity is polled by its worker with the worker's credentials: nothing for the role.
      unknown.push({ state: name, resource, reason: "integration not derived by iam:check" });
    }
  }
  return { requests: out, unknown };
}

/** CloudWatch Logs delivery and X-Ray calls a state machine with logging/tracing configured makes. */
export const STATE_MACHINE_LOGGING_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];
export const STATE_MACHINE_TRACING_ACTIONS = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
];
