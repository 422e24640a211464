/**
 * The boundaries between the platform's parts, checked on the offline plan of an environment from both
 * sides' single sources (issue 14, "Boundary tests"): the plan says what the infrastructure gives, the
 * code's own schemas and constants (see `./sides.ts`) say what the code needs. Every mismatch names both
 * sides. Pure functions over plan JSON, so the tests can run them on a mutated copy of a real plan.
 */
import { apiRoutesFromPlan } from "@tradai/testing/authorizer";

/** A planned resource, structurally (the offline plan's `PlannedResource`). */
export interface Resource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
}

/** The planned layers of one environment. */
export interface EnvironmentPlan {
  env: string;
  layers: Record<
    "persistent" | "foundation" | "compute" | "edge",
    { resources: Resource[]; outputs: Record<string, unknown> }
  >;
}

/** A zod schema, structurally: what the code parses its environment with. */
export interface EnvSchema {
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

export interface Mismatch {
  boundary: "environment" | "token" | "metrics" | "targets" | "services";
  message: string;
}

/** What the code says, for each side the plan feeds (built in `./sides.ts` from the code itself). */
export interface CodeSides {
  /** Per Lambda name: the schema its `config()` parses `process.env` with, and where it lives. */
  lambdaEnv: Record<string, { schema: EnvSchema; source: string }>;
  /** Per ECS task family suffix (`backend-api`, `backtest`, ...): its start schema and where it lives. */
  taskEnv: Record<string, { schema: EnvSchema; source: string; launcherSets?: Record<string, string> }>;
  /** Variables the runtime reads, not the code's schema (Powertools, the AWS SDK). */
  runtimeVariables: readonly string[];
  /** The backend's token settings, as its config schema reads them from its task environment. */
  backendTokens: (env: Record<string, string>) => { tokenUse: string; scopes: string[] };
  /** Metric names the code emits in the platform namespace, and that namespace. */
  emittedMetrics: { namespace: string; names: readonly string[]; source: string };
  /** Per ECS service: the port its own config listens on for this environment, and its health path. */
  serviceEndpoints: (
    service: string,
    env: Record<string, string>,
  ) => { port: number; healthPath: string; source: string } | undefined;
}

const T = {
  fn: "aws:lambda/function:Function",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  esm: "aws:lambda/eventSourceMapping:EventSourceMapping",
  queue: "aws:sqs/queue:Queue",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  discovery: "aws:servicediscovery/service:Service",
  namespace: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
} as const;

const all = (plan: EnvironmentPlan) => Object.values(plan.layers).flatMap((l) => l.resources);
const ofType = (plan: EnvironmentPlan, type: string) => all(plan).filter((r) => r.type === type);
const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** `tradai-<env>-<name>` -> `<name>`. */
function logical(plan: EnvironmentPlan, physical: unknown): string {
  return String(physical).replace(new RegExp(`^tradai-${plan.env}-`), "");
}

interface Container {
  name: string;
  portMappings?: { containerPort: number }[];
  environment?: { name: string; value: string }[];
  secrets?: { name: string }[];
  healthCheck?: { command: string[] };
}

function containerOf(task: Resource): Container | undefined {
  const defs = task.inputs.containerDefinitions;
  const list = (typeof defs === "string" ? JSON.parse(defs) : defs) as Container[] | undefined;
  return list?.[0];
}

/** A task's environment as the container sees it: variables, and secrets by name (ECS injects them). */
function containerEnv(task: Resource): Record<string, string> {
  const c = containerOf(task);
  return Object.fromEntries([
    ...(c?.environment ?? []).map((e) => [e.name, e.value] as const),
    ...(c?.secrets ?? []).map((s) => [s.name, `<secret ${s.name}>`] as const),
  ]);
}

function lambdaEnv(fn: Resource): Record<string, string> {
  return ((fn.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables ??
    {}) as Record<string, string>;
}

function schemaKeys(schema: EnvSchema): string[] | undefined {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : undefined;
}

function envMismatches(
  what: string,
  env: Record<string, string>,
  side: { schema: EnvSchema; source: string },
  runtime: readonly string[],
): Mismatch[] {
  const out: Mismatch[] = [];
  const parsed = side.schema.safeParse(env);
  for (const issue of parsed.error?.issues ?? []) {
    const variable = String(issue.path[0] ?? "(environment)");
    out.push({
      boundary: "environment",
      message:
        variable in env
          ? `${side.source}: ${variable} is invalid (${issue.message}), as the plan sets it on ${what}`
          : `${side.source} requires ${variable}, but the plan does not set it on ${what}`,
    });
  }
  const keys = schemaKeys(side.schema);
  if (keys) {
    for (const variable of Object.keys(env)) {
      if (keys.includes(variable) || runtime.includes(variable)) continue;
      out.push({
        boundary: "environment",
        message: `the plan sets ${variable} on ${what}, but ${side.source} reads no such variable`,
      });
    }
  }
  return out;
}

/** Every Lambda's and ECS task's environment parses with the schema its code starts with, both ways. */
export function checkEnvironments(plan: EnvironmentPlan, code: CodeSides): Mismatch[] {
  const out: Mismatch[] = [];
  for (const fn of ofType(plan, T.fn)) {
    const name = logical(plan, fn.inputs.name);
    const side = code.lambdaEnv[name];
    const what = `Lambda ${String(fn.inputs.name)}`;
    if (!side) {
      out.push({
        boundary: "environment",
        message: `the plan has ${what}, but no code side is registered for ${name}`,
      });
      continue;
    }
    out.push(...envMismatches(what, lambdaEnv(fn), side, code.runtimeVariables));
  }
  for (const task of ofType(plan, T.taskDef)) {
    const name = logical(plan, task.inputs.family);
    const side = code.taskEnv[name];
    const what = `task definition ${String(task.inputs.family)}`;
    if (!side) {
      out.push({
        boundary: "environment",
        message: `the plan has ${what}, but no code side is registered for ${name}`,
      });
      continue;
    }
    const env = { ...containerEnv(task), ...(side.launcherSets ?? {}) };
    out.push(...envMismatches(what, env, side, code.runtimeVariables));
  }
  return out;
}

/** The authorizer's token kind and scopes equal what the backend verifies with its planned environment. */
export function checkTokenKind(plan: EnvironmentPlan, code: CodeSides): Mismatch[] {
  const task = ofType(plan, T.taskDef).find((t) => logical(plan, t.inputs.family) === "backend-api");
  if (!task) return [{ boundary: "token", message: "the plan has no backend-api task definition" }];
  const backend = code.backendTokens(containerEnv(task));
  const out: Mismatch[] = [];
  for (const route of apiRoutesFromPlan(plan.layers.edge.resources)) {
    if (!route.authorizer || !route.path.startsWith("/v1/")) continue;
    const edge = route.authorizer;
    const same =
      edge.tokenUse === backend.tokenUse &&
      JSON.stringify([...edge.scopes].sort()) === JSON.stringify([...backend.scopes].sort());
    if (!same) {
      out.push({
        boundary: "token",
        message:
          `API Gateway ${route.httpMethod} ${route.path} accepts ${edge.tokenUse} tokens with scopes [${edge.scopes.join(", ")}], ` +
          `but backend-api (services/backend/src/config.ts, its planned environment) verifies ${backend.tokenUse} tokens with scopes [${backend.scopes.join(", ")}]`,
      });
    }
  }
  return out;
}

interface WatchedMetric {
  namespace: string;
  name: string;
  where: string;
}

function dashboardMetrics(board: Resource): WatchedMetric[] {
  const body = JSON.parse(String(board.inputs.dashboardBody)) as {
    widgets: { properties?: { title?: string; metrics?: unknown[][] } }[];
  };
  const out: WatchedMetric[] = [];
  for (const widget of body.widgets) {
    for (const row of widget.properties?.metrics ?? []) {
      const [first, second] = row;
      if (typeof first === "string" && typeof second === "string") {
        out.push({
          namespace: first,
          name: second,
          where: `dashboard widget "${widget.properties?.title ?? "?"}"`,
        });
      } else if (first && typeof first === "object" && "expression" in first) {
        // SEARCH('{TradAI,ModelName} MetricName="DriftScore"', ...) names its metric inside the expression.
        const expression = String((first as { expression: unknown }).expression);
        const search = /\{([^,}]+)[^}]*\}\s*MetricName="([^"]+)"/.exec(expression);
        if (search?.[1] && search[2]) {
          out.push({
            namespace: search[1],
            name: search[2],
            where: `dashboard widget "${widget.properties?.title ?? "?"}"`,
          });
        }
      }
    }
  }
  return out;
}

function alarmMetrics(alarm: Resource): WatchedMetric[] {
  const where = `alarm ${String(alarm.inputs.name)}`;
  if (typeof alarm.inputs.metricName === "string") {
    return [{ namespace: String(alarm.inputs.namespace), name: alarm.inputs.metricName, where }];
  }
  const queries = (alarm.inputs.metricQueries ?? []) as {
    metric?: { namespace: string; metricName: string };
    expression?: string;
  }[];
  return queries.flatMap((q) => {
    if (q.metric) return [{ namespace: q.metric.namespace, name: q.metric.metricName, where }];
    // Metrics Insights: SELECT MAX(DriftScore) FROM SCHEMA("TradAI", ModelName)
    const insights = q.expression
      ? /SELECT\s+\w+\((\w+)\)\s+FROM\s+SCHEMA\("([^"]+)"/i.exec(q.expression)
      : null;
    return insights?.[1] && insights[2] ? [{ namespace: insights[2], name: insights[1], where }] : [];
  });
}

/** Every platform metric an alarm or the dashboard watches is one the code emits. */
export function checkMetrics(plan: EnvironmentPlan, code: CodeSides): Mismatch[] {
  const { namespace, names, source } = code.emittedMetrics;
  const watched = [
    ...ofType(plan, T.alarm).flatMap(alarmMetrics),
    ...ofType(plan, T.dashboard).flatMap(dashboardMetrics),
  ];
  return watched
    .filter((m) => m.namespace === namespace && !names.includes(m.name))
    .map((m) => ({
      boundary: "metrics" as const,
      message: `${m.where} watches ${namespace}/${m.name}, but no code emits it (${source}: ${names.join(", ")})`,
    }));
}

/**
 * Every Step Functions task, EventBridge target and SQS event source names something the plan contains,
 * and each SQS queue's visibility timeout is at least six times its consumer's timeout.
 */
export function checkTargets(plan: EnvironmentPlan): Mismatch[] {
  const out: Mismatch[] = [];
  const functions = ofType(plan, T.fn);
  // Function ARNs are outputs: the compute layer exports them by Lambda name.
  const exported = (plan.layers.compute.outputs.functions ?? {}) as Record<
    string,
    { name: string; arn: string }
  >;
  const fnByArn = new Map(
    Object.values(exported).flatMap((e) => {
      const fn = functions.find((f) => f.inputs.name === e.name);
      return fn ? [[e.arn, fn] as const] : [];
    }),
  );
  const taskDefs = ofType(plan, T.taskDef);
  const machines = ofType(plan, T.stateMachine);
  // Functions of other layers (foundation's inline NAT Lambda) are not exported: match them by name.
  const fnName = (arn: string) => /:function:([^:]+)/.exec(arn)?.[1];
  const known = (arn: string) =>
    fnByArn.has(arn.replace(/:(\$LATEST|\d+)$/, "")) ||
    (!Object.values(exported).some((e) => e.name === fnName(arn)) &&
      functions.some((f) => f.inputs.name === fnName(arn)) &&
      !plan.layers.compute.resources.some((r) => r.type === T.fn && r.inputs.name === fnName(arn))) ||
    machines.some((m) => arn.endsWith(`:stateMachine:${String(m.inputs.name)}`));

  for (const machine of machines) {
    const definition = JSON.parse(String(machine.inputs.definition)) as { States: Record<string, State> };
    for (const [state, task] of tasksOf(definition.States)) {
      const fnName = task.Parameters?.FunctionName;
      if (typeof fnName === "string" && !known(fnName)) {
        out.push({
          boundary: "targets",
          message: `state machine ${String(machine.inputs.name)} state ${state} invokes ${fnName}, but the plan has no such function`,
        });
      }
      const taskDef = task.Parameters?.TaskDefinition;
      if (typeof taskDef === "string") {
        const family = /task-definition\/([^:]+)/.exec(taskDef)?.[1];
        if (!taskDefs.some((t) => t.inputs.family === family)) {
          out.push({
            boundary: "targets",
            message: `state machine ${String(machine.inputs.name)} state ${state} runs ${taskDef}, but the plan has no such task definition`,
          });
        }
      }
    }
  }
  for (const target of ofType(plan, T.eventTarget)) {
    const arn = String(target.inputs.arn);
    if (arn.includes(":lambda:") || arn.includes(":states:")) {
      if (!known(arn)) {
        out.push({
          boundary: "targets",
          message: `EventBridge target ${target.name} names ${arn}, but the plan has no such function or state machine`,
        });
      }
    }
  }
  const queues = ofType(plan, T.queue);
  for (const mapping of ofType(plan, T.esm)) {
    const fn =
      fnByArn.get(String(mapping.inputs.functionName)) ??
      functions.find((f) => f.inputs.name === mapping.inputs.functionName);
    const queue = queues.find((q) =>
      String(mapping.inputs.eventSourceArn).endsWith(`:${String(q.inputs.name)}`),
    );
    if (!fn || !queue) {
      out.push({
        boundary: "targets",
        message: `SQS event source ${mapping.name} connects ${str(mapping.inputs.eventSourceArn)} to ${str(mapping.inputs.functionName)}, but the plan has no such ${fn ? "queue" : "function"}`,
      });
      continue;
    }
    const visibility = Number(queue.inputs.visibilityTimeoutSeconds ?? 30);
    const timeout = Number(fn.inputs.timeout ?? 3);
    if (visibility < 6 * timeout) {
      out.push({
        boundary: "targets",
        message: `queue ${String(queue.inputs.name)} (foundation) has a visibility timeout of ${visibility} s, less than 6 x the ${timeout} s timeout of its consumer ${String(fn.inputs.name)} (compute)`,
      });
    }
  }
  return out;
}

interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Branches?: { States: Record<string, State> }[];
  Iterator?: { States: Record<string, State> };
  ItemProcessor?: { States: Record<string, State> };
}

function tasksOf(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === "Task" ? [[name, state] as [string, State]] : []),
    ...(state.Branches ?? []).flatMap((b) => tasksOf(b.States)),
    ...tasksOf(state.Iterator?.States ?? {}),
    ...tasksOf(state.ItemProcessor?.States ?? {}),
  ]);
}

/** Every ECS task's port, health path and Cloud Map name match the service's own config and its callers. */
export function checkServices(plan: EnvironmentPlan, code: CodeSides): Mismatch[] {
  const out: Mismatch[] = [];
  const groups = ofType(plan, T.targetGroup);
  const discovery = ofType(plan, T.discovery);
  const namespace = String(ofType(plan, T.namespace)[0]?.inputs.name ?? "");
  const byUrn = new Map(all(plan).map((r) => [r.urn, r]));
  const ports = new Map<string, number>();
  for (const service of ofType(plan, T.ecsService)) {
    const name = logical(plan, service.inputs.name);
    const taskUrn = service.propertyDependencies.taskDefinition?.[0];
    const task = taskUrn ? byUrn.get(taskUrn) : undefined;
    if (!task) continue;
    const env = containerEnv(task);
    let own: ReturnType<CodeSides["serviceEndpoints"]>;
    try {
      own = code.serviceEndpoints(name, env);
    } catch {
      // An environment the service's schema refuses is reported by checkEnvironments.
      own = undefined;
    }
    const container = containerOf(task);
    const port = container?.portMappings?.[0]?.containerPort;
    if (port !== undefined) ports.set(name, port);
    // A task that maps no port (the trading services) is reached by nobody: nothing to disagree on.
    if (own && port !== undefined && port !== own.port) {
      out.push({
        boundary: "services",
        message: `task definition ${String(task.inputs.family)} maps container port ${String(port)}, but ${own.source} listens on ${own.port} with its planned environment`,
      });
    }
    const lb = (service.inputs.loadBalancers ?? []) as { containerPort?: number; targetGroupArn?: string }[];
    for (const [i, entry] of lb.entries()) {
      const groupUrn = service.propertyDependencies.loadBalancers?.find(
        (u) => byUrn.get(u)?.type === T.targetGroup,
      );
      const group = groupUrn ? byUrn.get(groupUrn) : groups[i];
      if (own && entry.containerPort !== own.port) {
        out.push({
          boundary: "services",
          message: `ECS service ${String(service.inputs.name)} registers port ${String(entry.containerPort)} with the load balancer, but ${own.source} listens on ${own.port}`,
        });
      }
      const healthPath = (group?.inputs.healthCheck as { path?: string } | undefined)?.path;
      if (own && group && healthPath !== own.healthPath) {
        out.push({
          boundary: "services",
          message: `target group ${group.name} checks ${String(healthPath)}, but ${own.source} answers health on ${own.healthPath}`,
        });
      }
      if (own && group && Number(group.inputs.port) !== own.port) {
        out.push({
          boundary: "services",
          message: `target group ${group.name} forwards to port ${String(group.inputs.port)}, but ${own.source} listens on ${own.port}`,
        });
      }
    }
    if (own && container?.healthCheck) {
      const command = container.healthCheck.command.join(" ");
      if (!command.includes(`:${own.port}${own.healthPath}`)) {
        out.push({
          boundary: "services",
          message: `task definition ${String(task.inputs.family)} health check "${command}" does not probe port ${own.port} path ${own.healthPath} of ${own.source}`,
        });
      }
    }
    const registry = service.propertyDependencies.serviceRegistries
      ?.map((u) => byUrn.get(u))
      .find((r) => r?.type === T.discovery);
    if (registry && registry.inputs.name !== name) {
      out.push({
        boundary: "services",
        message: `ECS service ${String(service.inputs.name)} registers in Cloud Map as ${String(registry.inputs.name)}, but its callers address it as ${name}.${namespace}`,
      });
    }
  }
  // Callers: every http://<name>.<namespace>:<port> in a Lambda's or task's environment names a Cloud Map
  // service of the plan and the port that service's task listens on.
  const callers = [
    ...ofType(plan, T.fn).map((f) => [`Lambda ${String(f.inputs.name)}`, lambdaEnv(f)] as const),
    ...ofType(plan, T.taskDef).map(
      (t) => [`task definition ${String(t.inputs.family)}`, containerEnv(t)] as const,
    ),
  ];
  const pattern = new RegExp(`https?://([a-z0-9-]+)\\.${namespace.replace(/\./g, "\\.")}(?::(\\d+))?`, "g");
  for (const [who, env] of callers) {
    for (const [variable, value] of Object.entries(env)) {
      for (const match of String(value).matchAll(pattern)) {
        const [, host, port] = match;
        if (!discovery.some((d) => d.inputs.name === host)) {
          out.push({
            boundary: "services",
            message: `${who} ${variable} calls ${host}.${namespace}, but the plan registers no Cloud Map service ${host}`,
          });
        } else if (port && ports.has(String(host)) && ports.get(String(host)) !== Number(port)) {
          out.push({
            boundary: "services",
            message: `${who} ${variable} calls ${host}.${namespace}:${port}, but ${host}'s task listens on ${String(ports.get(String(host)))}`,
          });
        }
      }
    }
  }
  return out;
}

/** Every boundary check. */
export function checkBoundaries(plan: EnvironmentPlan, code: CodeSides): Mismatch[] {
  return [
    ...checkEnvironments(plan, code),
    ...checkTokenKind(plan, code),
    ...checkMetrics(plan, code),
    ...checkTargets(plan),
    ...checkServices(plan, code),
  ];
}
