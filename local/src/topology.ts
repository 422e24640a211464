/**
 * The platform as the dev plan declares it, reduced to what a local run wires: data resources under their
 * planned names, each Lambda with its environment and triggers, the ECS task definitions and services,
 * the state machine's ASL, the API's routes and authorizer, the ALB's origin check and routing.
 *
 * Everything here is read from resource inputs, never from a hand-kept list, so a change to the plan
 * (a renamed queue, a removed state, another port) changes what runs locally.
 */
import { type EnvironmentPlan, type PlannedResource, resourcesOfType } from "./plan-source";

export interface QueueSpec {
  name: string;
  arn: string;
  attributes: Record<string, string>;
  /** Where messages go after `maxReceiveCount` receives. */
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export interface TableSpec {
  name: string;
  hashKey: string;
  rangeKey?: string;
  attributes: { name: string; type: "S" | "N" | "B" }[];
  globalSecondaryIndexes: { name: string; hashKey: string; rangeKey?: string }[];
  ttlAttribute?: string;
}

export interface FunctionSpec {
  /** Logical name in the plan, also the folder `lambdas/<key>`. */
  key: string;
  functionName: string;
  arn: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
}

export interface QueueTrigger {
  functionKey: string;
  queueArn: string;
  batchSize: number;
  reportBatchItemFailures: boolean;
}

export interface RuleTrigger {
  ruleName: string;
  functionKey: string;
  /** `rate(...)` / `cron(...)` for schedules. */
  scheduleExpression?: string;
  /** EventBridge pattern for event rules. */
  eventPattern?: Record<string, unknown>;
}

export interface ContainerSpec {
  name: string;
  image: string;
  environment: Record<string, string>;
  /** `name -> valueFrom` (Secrets Manager ARN, optionally `:json-key::`). */
  secrets: Record<string, string>;
  containerPort?: number;
}

export interface TaskDefinitionSpec {
  family: string;
  /** Without revision: `arn:aws:ecs:<region>:<account>:task-definition/<family>`. */
  arn: string;
  cpu: string;
  memory: string;
  containers: ContainerSpec[];
}

export interface ServiceSpec {
  /** Logical name (`backend-api`, `dry-run-trading`...). */
  key: string;
  serviceName: string;
  family: string;
  desiredCount: number;
  /** Cloud Map name, e.g. `backend-api` (`backend-api.<namespace>`). */
  discoveryName?: string;
  /** Target groups this service registers in (`arn -> container port`). */
  targetGroups: Record<string, number>;
}

export interface AlbRoute {
  /** Path patterns (`/mlflow/*`), empty for the listener's default action. */
  pathPatterns: string[];
  priority: number;
  targetGroupArn: string;
}

export interface HeaderAllowRule {
  header: string;
  /** The planned value; `<secret>` stands for a value Pulumi keeps secret. */
  value: string;
}

export interface ApiMethod {
  /** Resource path, e.g. `/v1/{proxy+}`. */
  path: string;
  httpMethod: string;
  authorization: string;
  authorizationScopes: string[];
  authorizer?: { type: string; providerArns: string[]; identitySource: string };
  integration: { uri: string; type: string; headers: Record<string, string> };
}

export interface IdentitySpec {
  userPoolId: string;
  issuer: string;
  clientIds: string[];
  /** Scopes the planned app client may request. */
  clientScopes: string[];
}

export interface Topology {
  env: string;
  region: string;
  accountId: string;
  buckets: { name: string; versioned: boolean }[];
  tables: TableSpec[];
  queues: QueueSpec[];
  topics: { name: string; arn: string }[];
  /** Secret ids the tasks and functions reference. */
  secrets: string[];
  functions: FunctionSpec[];
  queueTriggers: QueueTrigger[];
  rules: RuleTrigger[];
  cluster: { name: string; arn: string };
  taskDefinitions: TaskDefinitionSpec[];
  services: ServiceSpec[];
  /** Cloud Map namespace, e.g. `tradai-dev.internal`. */
  namespace: string;
  stateMachine?: { name: string; arn: string; definition: string };
  api: { stageName: string; methods: ApiMethod[] };
  alb: { dnsName: string; routes: AlbRoute[]; allowRules: HeaderAllowRule[]; defaultBlock: boolean };
  identity: IdentitySpec;
}

export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TopologyError";
  }
}

function str(resource: PlannedResource, key: string): string {
  const value = resource.inputs[key];
  if (typeof value !== "string" || value === "") {
    throw new TopologyError(`${resource.type} "${resource.name}": input ${key} is missing`);
  }
  return value;
}

function optStr(resource: PlannedResource, key: string): string | undefined {
  const value = resource.inputs[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function num(resource: PlannedResource, key: string, fallback: number): number {
  const value = resource.inputs[key];
  return typeof value === "number" ? value : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function parseJson(resource: PlannedResource, key: string): unknown {
  const value = resource.inputs[key];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new TopologyError(`${resource.type} "${resource.name}": input ${key} is not JSON`);
  }
}

/** `arn:aws:sqs:eu-central-1:123:name` -> name (the last `:` or `/` segment). */
export function arnName(arn: string): string {
  return arn.split(/[:/]/).pop() ?? arn;
}

/**
 * Autonamed physical names in the plan are `<logical name>-<7 hex>` (the mocks' stand-in for Pulumi's
 * random suffix); resources that set `name` use it verbatim.
 */
function matchesPhysical(resource: PlannedResource, physical: string): boolean {
  const explicit = optStr(resource, "name");
  if (explicit) return explicit === physical;
  return (
    physical.startsWith(`${resource.name}-`) && /^[0-9a-f]+$/.test(physical.slice(resource.name.length + 1))
  );
}

function envList(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list(value)) {
    const e = record(entry);
    if (typeof e.name === "string") out[e.name] = String(e.value ?? "");
  }
  return out;
}

function readFunctions(plan: EnvironmentPlan): FunctionSpec[] {
  return resourcesOfType(plan, "aws:lambda/function:Function")
    .filter((f) => f.inputs.packageType === "Image")
    .map((f) => {
      const functionName = str(f, "name");
      const arn = `arn:aws:lambda:${regionOf(plan)}:${accountOf(plan)}:function:${functionName}`;
      const variables = record(record(f.inputs.environment).variables);
      const environment = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)]));
      return { key: f.name, functionName, arn, environment, timeoutSeconds: num(f, "timeout", 3) };
    });
}

function regionOf(plan: EnvironmentPlan): string {
  const cluster = record(plan.compute.outputs.cluster);
  const arn = typeof cluster.arn === "string" ? cluster.arn : "";
  return arn.split(":")[3] || "eu-central-1";
}

function accountOf(plan: EnvironmentPlan): string {
  const cluster = record(plan.compute.outputs.cluster);
  const arn = typeof cluster.arn === "string" ? cluster.arn : "";
  return arn.split(":")[4] || "123456789012";
}

function functionByRef(functions: FunctionSpec[], ref: string, context: string): FunctionSpec {
  const fn = functions.find(
    (f) => f.arn === ref || f.functionName === ref || f.functionName === arnName(ref),
  );
  if (!fn) throw new TopologyError(`${context} names function ${ref}, which the plan does not declare`);
  return fn;
}

function readRules(plan: EnvironmentPlan, functions: FunctionSpec[]): RuleTrigger[] {
  const rules = resourcesOfType(plan, "aws:cloudwatch/eventRule:EventRule");
  const targets = resourcesOfType(plan, "aws:cloudwatch/eventTarget:EventTarget");
  const out: RuleTrigger[] = [];
  for (const target of targets) {
    const ruleRef = str(target, "rule");
    const targetArn = str(target, "arn");
    const fn = functions.find((f) => f.arn === targetArn);
    // Targets of functions the local run does not host (the inline NAT route updater) stay unwired.
    if (!fn) continue;
    const rule = rules.find((r) => r.parent === target.parent && matchesPhysical(r, ruleRef));
    if (!rule)
      throw new TopologyError(`event target "${target.name}" names rule ${ruleRef}, not in the plan`);
    if (rule.inputs.state === "DISABLED") continue;
    const scheduleExpression = optStr(rule, "scheduleExpression");
    const pattern =
      rule.inputs.eventPattern === undefined ? undefined : record(parseJson(rule, "eventPattern"));
    out.push({
      ruleName: ruleRef,
      functionKey: fn.key,
      ...(scheduleExpression ? { scheduleExpression } : {}),
      ...(pattern ? { eventPattern: pattern } : {}),
    });
  }
  return out;
}

function readTaskDefinitions(plan: EnvironmentPlan): TaskDefinitionSpec[] {
  return resourcesOfType(plan, "aws:ecs/taskDefinition:TaskDefinition").map((td) => {
    const family = str(td, "family");
    const containers = list(parseJson(td, "containerDefinitions")).map((raw) => {
      const c = record(raw);
      const port = record(list(c.portMappings)[0]).containerPort;
      const secrets: Record<string, string> = {};
      for (const s of list(c.secrets)) {
        const e = record(s);
        if (typeof e.name === "string" && typeof e.valueFrom === "string") secrets[e.name] = e.valueFrom;
      }
      return {
        name: String(c.name),
        image: String(c.image ?? ""),
        environment: envList(c.environment),
        secrets,
        ...(typeof port === "number" ? { containerPort: port } : {}),
      };
    });
    return {
      family,
      arn: `arn:aws:ecs:${regionOf(plan)}:${accountOf(plan)}:task-definition/${family}`,
      cpu: String(td.inputs.cpu ?? "256"),
      memory: String(td.inputs.memory ?? "512"),
      containers,
    };
  });
}

function readServices(plan: EnvironmentPlan): ServiceSpec[] {
  const discovery = resourcesOfType(plan, "aws:servicediscovery/service:Service");
  return resourcesOfType(plan, "aws:ecs/service:Service").map((s) => {
    const family = arnName(str(s, "taskDefinition").replace(/:\d+$/, ""));
    const registry = discovery.find((d) => d.name === `${s.name}-discovery`);
    const targetGroups: Record<string, number> = {};
    for (const lb of list(s.inputs.loadBalancers)) {
      const e = record(lb);
      if (typeof e.targetGroupArn === "string" && typeof e.containerPort === "number") {
        targetGroups[e.targetGroupArn] = e.containerPort;
      }
    }
    const discoveryName = registry ? optStr(registry, "name") : undefined;
    return {
      key: s.name,
      serviceName: str(s, "name"),
      family,
      desiredCount: num(s, "desiredCount", 1),
      ...(discoveryName ? { discoveryName } : {}),
      targetGroups,
    };
  });
}

/** API Gateway ids in the plan are `<logical name>-<hex>`; the REST API's root has no resource of its own. */
function byPlannedId(resources: PlannedResource[], id: string): PlannedResource | undefined {
  return resources.find(
    (r) => id.startsWith(`${r.name}-`) && /^[0-9a-f]+$/.test(id.slice(r.name.length + 1)),
  );
}

function readApi(plan: EnvironmentPlan): Topology["api"] {
  const resources = resourcesOfType(plan, "aws:apigateway/resource:Resource");
  const authorizers = resourcesOfType(plan, "aws:apigateway/authorizer:Authorizer");
  const integrations = resourcesOfType(plan, "aws:apigateway/integration:Integration");
  const stage = resourcesOfType(plan, "aws:apigateway/stage:Stage")[0];
  const pathOf = (id: string): string => {
    const resource = byPlannedId(resources, id);
    if (!resource) return "";
    return `${pathOf(str(resource, "parentId"))}/${str(resource, "pathPart")}`;
  };
  const methods = resourcesOfType(plan, "aws:apigateway/method:Method").map((m): ApiMethod => {
    const resourceId = str(m, "resourceId");
    const httpMethod = str(m, "httpMethod");
    const integration = integrations.find(
      (i) => i.inputs.resourceId === resourceId && i.inputs.httpMethod === httpMethod,
    );
    if (!integration) throw new TopologyError(`API method "${m.name}" has no integration in the plan`);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(record(integration.inputs.requestParameters))) {
      const header = /^integration\.request\.header\.(.+)$/.exec(key)?.[1];
      if (header && typeof value === "string") headers[header] = value;
    }
    const authorizerId = optStr(m, "authorizerId");
    const authorizer = authorizerId ? byPlannedId(authorizers, authorizerId) : undefined;
    return {
      path: pathOf(resourceId) || "/",
      httpMethod,
      authorization: str(m, "authorization"),
      authorizationScopes: list(m.inputs.authorizationScopes).filter(
        (s): s is string => typeof s === "string",
      ),
      ...(authorizer
        ? {
            authorizer: {
              type: str(authorizer, "type"),
              providerArns: list(authorizer.inputs.providerArns).map(String),
              identitySource: optStr(authorizer, "identitySource") ?? "method.request.header.Authorization",
            },
          }
        : {}),
      integration: { uri: str(integration, "uri"), type: str(integration, "type"), headers },
    };
  });
  return { stageName: stage ? str(stage, "stageName") : "local", methods };
}

function readAlb(plan: EnvironmentPlan): Topology["alb"] {
  const albOutputs = record(plan.compute.outputs.alb);
  const dnsName = typeof albOutputs.dnsName === "string" ? albOutputs.dnsName : "";
  const routes: AlbRoute[] = [];
  for (const listener of resourcesOfType(plan, "aws:lb/listener:Listener")) {
    for (const action of list(listener.inputs.defaultActions)) {
      const a = record(action);
      if (a.type === "forward" && typeof a.targetGroupArn === "string") {
        routes.push({
          pathPatterns: [],
          priority: Number.MAX_SAFE_INTEGER,
          targetGroupArn: a.targetGroupArn,
        });
      }
    }
  }
  for (const rule of resourcesOfType(plan, "aws:lb/listenerRule:ListenerRule")) {
    const target = list(rule.inputs.actions)
      .map(record)
      .find((a) => a.type === "forward");
    const patterns = list(rule.inputs.conditions).flatMap((c) => list(record(record(c).pathPattern).values));
    if (target && typeof target.targetGroupArn === "string") {
      routes.push({
        pathPatterns: patterns.map(String),
        priority: num(rule, "priority", 1000),
        targetGroupArn: target.targetGroupArn,
      });
    }
  }
  routes.sort((a, b) => a.priority - b.priority);
  // The web ACL associated with the load balancer decides what reaches it.
  const association = resourcesOfType(plan, "aws:wafv2/webAclAssociation:WebAclAssociation").find((a) =>
    String(a.inputs.resourceArn).includes(":loadbalancer/"),
  );
  const acl = association
    ? resourcesOfType(plan, "aws:wafv2/webAcl:WebAcl").find((w) =>
        String(association.inputs.webAclArn).includes(`/webacl/${String(w.inputs.name)}/`),
      )
    : undefined;
  const allowRules: HeaderAllowRule[] = [];
  for (const rule of list(acl?.inputs.rules)) {
    const r = record(rule);
    const match = record(record(r.statement).byteMatchStatement);
    const header = record(record(match.fieldToMatch).singleHeader).name;
    if (
      "allow" in record(r.action) &&
      typeof header === "string" &&
      match.positionalConstraint === "EXACTLY"
    ) {
      allowRules.push({ header: header.toLowerCase(), value: String(match.searchString) });
    }
  }
  const defaultBlock = acl ? "block" in record(acl.inputs.defaultAction) : false;
  return { dnsName, routes, allowRules, defaultBlock };
}

function readIdentity(plan: EnvironmentPlan): IdentitySpec {
  const cognito = record(plan.persistent.outputs.cognito);
  const userPoolId = String(cognito.userPoolId ?? "");
  const issuer = String(cognito.issuer ?? "");
  if (!userPoolId || !issuer) throw new TopologyError("the persistent plan has no cognito output");
  const clients = resourcesOfType(plan, "aws:cognito/userPoolClient:UserPoolClient");
  const clientScopes = clients.flatMap((c) => list(c.inputs.allowedOauthScopes).map(String));
  return { userPoolId, issuer, clientIds: [String(cognito.clientId ?? "")], clientScopes };
}

function readSecrets(functions: FunctionSpec[], taskDefinitions: TaskDefinitionSpec[]): string[] {
  const ids = new Set<string>();
  for (const td of taskDefinitions) {
    for (const container of td.containers) {
      for (const valueFrom of Object.values(container.secrets)) ids.add(secretIdOf(valueFrom));
      for (const [key, value] of Object.entries(container.environment)) {
        if (/_SECRET(_ARN|_ID|_NAME)?$/.test(key)) ids.add(value);
      }
    }
  }
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (/_SECRET(_ARN|_ID|_NAME)?$/.test(key)) ids.add(value);
    }
  }
  return [...ids].sort();
}

/** `arn:...:secret:name-AbCdEf:json-key::` -> the secret's ARN (or name) without the JSON key selector. */
export function secretIdOf(valueFrom: string): string {
  const match = /^(arn:aws[\w-]*:secretsmanager:[^:]+:\d+:secret:[^:]+)(:.*)?$/.exec(valueFrom);
  return match?.[1] ?? valueFrom;
}

/** Builds the topology of one environment's plan. */
export function topologyOf(plan: EnvironmentPlan, env: string): Topology {
  const functions = readFunctions(plan);
  const queueTriggers = resourcesOfType(plan, "aws:lambda/eventSourceMapping:EventSourceMapping").map(
    (m): QueueTrigger => ({
      functionKey: functionByRef(functions, str(m, "functionName"), `event source mapping "${m.name}"`).key,
      queueArn: str(m, "eventSourceArn"),
      batchSize: num(m, "batchSize", 10),
      reportBatchItemFailures: list(m.inputs.functionResponseTypes).includes("ReportBatchItemFailures"),
    }),
  );
  const queues = resourcesOfType(plan, "aws:sqs/queue:Queue").map((q): QueueSpec => {
    const name = str(q, "name");
    const attributes: Record<string, string> = {};
    const attr = (key: string, attribute: string) => {
      if (q.inputs[key] !== undefined) attributes[attribute] = String(q.inputs[key]);
    };
    attr("visibilityTimeoutSeconds", "VisibilityTimeout");
    attr("messageRetentionSeconds", "MessageRetentionPeriod");
    attr("receiveWaitTimeSeconds", "ReceiveMessageWaitTimeSeconds");
    attr("redriveAllowPolicy", "RedriveAllowPolicy");
    const redrive = q.inputs.redrivePolicy === undefined ? undefined : record(parseJson(q, "redrivePolicy"));
    return {
      name,
      arn: `arn:aws:sqs:${regionOf(plan)}:${accountOf(plan)}:${name}`,
      attributes,
      ...(redrive
        ? {
            redrive: {
              deadLetterTargetArn: String(redrive.deadLetterTargetArn),
              maxReceiveCount: Number(redrive.maxReceiveCount),
            },
          }
        : {}),
    };
  });
  for (const trigger of queueTriggers) {
    if (!queues.some((q) => q.arn === trigger.queueArn)) {
      throw new TopologyError(
        `the ${trigger.functionKey} event source ${trigger.queueArn} is not a planned queue`,
      );
    }
  }
  const tables = resourcesOfType(plan, "aws:dynamodb/table:Table").map((t): TableSpec => {
    const rangeKey = optStr(t, "rangeKey");
    const ttl = record(t.inputs.ttl);
    return {
      name: str(t, "name"),
      hashKey: str(t, "hashKey"),
      ...(rangeKey ? { rangeKey } : {}),
      attributes: list(t.inputs.attributes).map((a) => {
        const e = record(a);
        return { name: String(e.name), type: String(e.type) as "S" | "N" | "B" };
      }),
      globalSecondaryIndexes: list(t.inputs.globalSecondaryIndexes).map((g) => {
        const e = record(g);
        return {
          name: String(e.name),
          hashKey: String(e.hashKey),
          ...(typeof e.rangeKey === "string" ? { rangeKey: e.rangeKey } : {}),
        };
      }),
      ...(ttl.enabled === true && typeof ttl.attributeName === "string"
        ? { ttlAttribute: ttl.attributeName }
        : {}),
    };
  });
  const versioned = new Set(
    resourcesOfType(plan, "aws:s3/bucketVersioning:BucketVersioning")
      .filter((v) => record(v.inputs.versioningConfiguration).status === "Enabled")
      .map((v) => str(v, "bucket")),
  );
  const buckets = resourcesOfType(plan, "aws:s3/bucket:Bucket").map((b) => {
    const name = str(b, "bucket");
    return { name, versioned: versioned.has(name) };
  });
  const region = regionOf(plan);
  const accountId = accountOf(plan);
  const topics = resourcesOfType(plan, "aws:sns/topic:Topic").map((t) => {
    const name = str(t, "name");
    return { name, arn: `arn:aws:sns:${region}:${accountId}:${name}` };
  });
  const taskDefinitions = readTaskDefinitions(plan);
  const clusterOut = record(plan.compute.outputs.cluster);
  const namespaceOut = record(plan.compute.outputs.namespace);
  const machine = resourcesOfType(plan, "aws:sfn/stateMachine:StateMachine")[0];
  return {
    env,
    region,
    accountId,
    buckets,
    tables,
    queues,
    topics,
    secrets: readSecrets(functions, taskDefinitions),
    functions,
    queueTriggers,
    rules: readRules(plan, functions),
    cluster: { name: String(clusterOut.name ?? ""), arn: String(clusterOut.arn ?? "") },
    taskDefinitions,
    services: readServices(plan),
    namespace: String(namespaceOut.name ?? ""),
    ...(machine
      ? {
          stateMachine: {
            name: str(machine, "name"),
            arn: `arn:aws:states:${region}:${accountId}:stateMachine:${str(machine, "name")}`,
            definition: str(machine, "definition"),
          },
        }
      : {}),
    api: readApi(plan),
    alb: readAlb(plan),
    identity: readIdentity(plan),
  };
}
