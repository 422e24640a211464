/**
 * What the offline plan (`plan/<env>/<layer>.json`) says about identities: each principal's role and the
 * policies attached to it, the configuration its code reads (Lambda environment, container environment),
 * the resource policies and KMS keys of the resources it calls, and the state machine definitions.
 * Read from the plan files, so a copy of the plan with an edited policy is checked as written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyDocument } from "./simulate";

/** The subset of the plan file format read here (scripts/src/offline/plan-types.ts). */
export interface PlannedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export interface PrincipalPlan {
  /** `function:<name>`, `ecs:<name>` or `states:<name>`. */
  principal: string;
  roleArn: string;
  /** Inline and planned customer-managed policies, by their resource name. */
  policies: Record<string, PolicyDocument>;
  /** AWS-managed policies attached (not simulated: their documents are not in the plan). */
  managedPolicyArns: string[];
  /** The configuration the code reads: variable -> planned value. */
  env: Record<string, string>;
}

export interface KeyedResource {
  keyArn: string;
  keyPolicy?: PolicyDocument;
}

/** A request the platform makes with a principal's role, not the principal's code. */
export interface RuntimeRequest {
  action: string;
  resource: string;
  why: string;
}

/**
 * AWS-managed policies attached to Lambda roles, as AWS publishes them (small and stable). Other managed
 * policies (ReadOnlyAccess, the ECS task execution policy) are not simulated: no principal's code
 * depends on them.
 */
export const MANAGED_POLICY_DOCUMENTS: Record<string, PolicyDocument> = {
  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "*",
      },
    ],
  },
  "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
        ],
        Resource: "*",
      },
    ],
  },
  "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
          "ec2:CreateNetworkInterface",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DeleteNetworkInterface",
          "ec2:AssignPrivateIpAddresses",
          "ec2:UnassignPrivateIpAddresses",
        ],
        Resource: "*",
      },
    ],
  },
};

export interface EnvPlan {
  env: string;
  accountId: string;
  region: string;
  principals: Map<string, PrincipalPlan>;
  /** Resource policy by resource ARN (bucket, queue, topic). */
  resourcePolicies: Map<string, PolicyDocument>;
  /** Customer-managed KMS key by the ARN of the resource it encrypts (topic, queue, bucket). */
  keys: Map<string, KeyedResource>;
  /** Task definition ARN (family, no revision) -> its task and execution role ARNs. */
  taskRoles: Map<string, string[]>;
  /** Every planned resource of the environment (all layers). */
  resources: PlannedResource[];
  /** Principal -> requests the Lambda service makes with the function's role (triggers, logs, traces). */
  runtime: Map<string, RuntimeRequest[]>;
  /** State machines: principal -> ASL definition and whether execution logging / X-Ray tracing is on. */
  stateMachines: Map<string, { definition: Record<string, unknown>; logging: boolean; tracing: boolean }>;
}

const parse = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** All resources of one environment's plan directory (`plan/<env>`), every layer. */
export function readPlanResources(dir: string): { resources: PlannedResource[]; region?: string } {
  if (!fs.existsSync(dir)) throw new Error(`no plan at ${dir} (run pnpm plan, or pass --plan <dir>)`);
  const resources: PlannedResource[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const layer = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
      resources?: PlannedResource[];
    };
    resources.push(...(layer.resources ?? []));
  }
  return { resources };
}

const roleName = (arn: string) => arn.split("/").pop() ?? arn;

/** ECS task definition logical names end in `-task` for one-shot tasks (`backtest-task` -> `ecs:backtest`). */
const ecsPrincipal = (name: string) => `ecs:${name.replace(/-task$/, "")}`;

export function envPlan(env: string, resources: PlannedResource[]): EnvPlan {
  const byType = (type: string) => resources.filter((r) => r.type === type);
  const inlineByRole = new Map<string, Record<string, PolicyDocument>>();
  for (const r of byType("aws:iam/rolePolicy:RolePolicy")) {
    const role = roleName(text(r.inputs.role) ?? "");
    const policies = inlineByRole.get(role) ?? {};
    policies[r.name] = parse(r.inputs.policy) as PolicyDocument;
    inlineByRole.set(role, policies);
  }
  const managedByRole = new Map<string, string[]>();
  for (const r of byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
    const role = roleName(text(r.inputs.role) ?? "");
    managedByRole.set(role, [...(managedByRole.get(role) ?? []), text(r.inputs.policyArn) ?? ""]);
  }
  let accountId = "";
  let region = "";
  const principals = new Map<string, PrincipalPlan>();
  const add = (principal: string, roleArn: string, envVars: Record<string, string>) => {
    accountId ||= roleArn.split(":")[4] ?? "";
    const managed = managedByRole.get(roleName(roleArn)) ?? [];
    const policies: Record<string, PolicyDocument> = { ...(inlineByRole.get(roleName(roleArn)) ?? {}) };
    for (const arn of managed) {
      const doc = MANAGED_POLICY_DOCUMENTS[arn];
      if (doc) policies[arn] = doc;
    }
    principals.set(principal, { principal, roleArn, policies, managedPolicyArns: managed, env: envVars });
  };
  const runtime = new Map<string, RuntimeRequest[]>();
  const functionPrincipal = new Map<string, string>();

  for (const fn of byType("aws:lambda/function:Function")) {
    const vars = ((fn.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables ??
      {}) as Record<string, string>;
    const name = vars.POWERTOOLS_SERVICE_NAME ?? fn.name;
    const principal = `function:${name}`;
    add(principal, text(fn.inputs.role) ?? "", vars);
    functionPrincipal.set(text(fn.inputs.name) ?? fn.name, principal);
    const logGroup =
      text((fn.inputs.loggingConfig as { logGroup?: string } | undefined)?.logGroup) ??
      `/aws/lambda/${text(fn.inputs.name) ?? fn.name}`;
    const requests: RuntimeRequest[] = [];
    for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
      requests.push({
        action,
        resource: `log-group:${logGroup}:log-stream:*`,
        why: "Lambda writes the function's logs",
      });
    }
    if ((fn.inputs.tracingConfig as { mode?: string } | undefined)?.mode === "Active") {
      for (const action of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) {
        requests.push({ action, resource: "*", why: "active X-Ray tracing" });
      }
    }
    runtime.set(principal, requests);
  }
  for (const esm of byType("aws:lambda/eventSourceMapping:EventSourceMapping")) {
    const source = text(esm.inputs.eventSourceArn) ?? "";
    const fnName = (text(esm.inputs.functionName) ?? "").split(":").pop() ?? "";
    const principal = functionPrincipal.get(fnName);
    if (!principal || !source.startsWith("arn:aws:sqs:")) continue;
    for (const action of [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]) {
      runtime
        .get(principal)
        ?.push({ action, resource: source, why: `the SQS trigger polls ${source.split(":").pop()}` });
    }
  }
  const taskRoles = new Map<string, string[]>();
  for (const td of byType("aws:ecs/taskDefinition:TaskDefinition")) {
    const containers = parse(td.inputs.containerDefinitions) as {
      environment?: { name: string; value: string }[];
      secrets?: { name: string; valueFrom: string }[];
    }[];
    const vars: Record<string, string> = {};
    for (const c of containers ?? []) {
      for (const e of c.environment ?? []) vars[e.name] = e.value;
      for (const s of c.secrets ?? []) vars[s.name] = s.valueFrom;
    }
    region ||= vars.AWS_REGION ?? "";
    const taskRole = text(td.inputs.taskRoleArn);
    if (taskRole) add(ecsPrincipal(td.name), taskRole, vars);
    const family = text(td.inputs.family);
    if (family) {
      const roles = [taskRole, text(td.inputs.executionRoleArn)].filter((r): r is string => Boolean(r));
      taskRoles.set(family, roles);
    }
  }
  const stateMachines: EnvPlan["stateMachines"] = new Map();
  for (const sm of byType("aws:sfn/stateMachine:StateMachine")) {
    const principal = `states:${sm.name}`;
    add(principal, text(sm.inputs.roleArn) ?? "", {});
    const logging = sm.inputs.loggingConfiguration as { level?: string } | undefined;
    const tracing = sm.inputs.tracingConfiguration as { enabled?: boolean } | undefined;
    stateMachines.set(principal, {
      definition: parse(sm.inputs.definition) as Record<string, unknown>,
      logging: Boolean(logging?.level && logging.level !== "OFF"),
      tracing: Boolean(tracing?.enabled),
    });
  }
  if (!region) {
    const anyArn = resources
      .map((r) => text(r.inputs.roleArn) ?? "")
      .find((a) => a.startsWith("arn:aws:states"));
    region = anyArn?.split(":")[3] ?? "";
  }
  // Task definition families become ARNs once the account and region are known.
  const taskRoleArns = new Map<string, string[]>();
  for (const [family, roles] of taskRoles) {
    taskRoleArns.set(`arn:aws:ecs:${region}:${accountId}:task-definition/${family}`, roles);
  }

  const resourcePolicies = new Map<string, PolicyDocument>();
  for (const r of byType("aws:s3/bucketPolicy:BucketPolicy")) {
    const policy = parse(r.inputs.policy) as PolicyDocument;
    const bucket = text(r.inputs.bucket) ?? "";
    resourcePolicies.set(`arn:aws:s3:::${bucket}`, policy);
  }
  const queueArn = (url: string) => {
    const [, , , acct, name] = url.split("/");
    return `arn:aws:sqs:${region}:${acct}:${name}`;
  };
  for (const r of byType("aws:sqs/queuePolicy:QueuePolicy")) {
    resourcePolicies.set(queueArn(text(r.inputs.queueUrl) ?? ""), parse(r.inputs.policy) as PolicyDocument);
  }
  for (const r of byType("aws:sns/topicPolicy:TopicPolicy")) {
    resourcePolicies.set(text(r.inputs.arn) ?? "", parse(r.inputs.policy) as PolicyDocument);
  }

  // Customer-managed keys: a key's ARN ends in its id, which its alias names (same logical name).
  const keyPolicyById = new Map<string, PolicyDocument>();
  for (const alias of byType("aws:kms/alias:Alias")) {
    const key = resources.find((r) => r.type === "aws:kms/key:Key" && r.name === alias.name);
    const id = text(alias.inputs.targetKeyId);
    if (key && id && key.inputs.policy) keyPolicyById.set(id, parse(key.inputs.policy) as PolicyDocument);
  }
  const keys = new Map<string, KeyedResource>();
  const keyed = (resourceArn: string, keyArn: string | undefined) => {
    if (!keyArn || keyArn.startsWith("alias/aws/")) return;
    const policy = keyPolicyById.get(keyArn.split("/").pop() ?? "");
    keys.set(resourceArn, { keyArn, ...(policy ? { keyPolicy: policy } : {}) });
  };
  for (const t of byType("aws:sns/topic:Topic")) {
    keyed(
      `arn:aws:sns:${region}:${accountId}:${text(t.inputs.name) ?? t.name}`,
      text(t.inputs.kmsMasterKeyId),
    );
  }
  for (const q of byType("aws:sqs/queue:Queue")) {
    keyed(
      `arn:aws:sqs:${region}:${accountId}:${text(q.inputs.name) ?? q.name}`,
      text(q.inputs.kmsMasterKeyId),
    );
  }
  for (const e of byType(
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  )) {
    const rule = (e.inputs.rules as { applyServerSideEncryptionByDefault?: Record<string, string> }[])?.[0];
    const sse = rule?.applyServerSideEncryptionByDefault;
    if (sse?.sseAlgorithm?.startsWith("aws:kms"))
      keyed(`arn:aws:s3:::${text(e.inputs.bucket)}`, sse.kmsMasterKeyId);
  }
  // Log group ARNs need the region and account, known only now.
  for (const requests of runtime.values()) {
    for (const r of requests) {
      if (r.resource.startsWith("log-group:"))
        r.resource = `arn:aws:logs:${region}:${accountId}:${r.resource}`;
    }
  }
  return {
    env,
    accountId,
    region,
    principals,
    resourcePolicies,
    keys,
    taskRoles: taskRoleArns,
    stateMachines,
    resources,
    runtime,
  };
}
