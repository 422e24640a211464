/**
 * `tradai local up`: the dev plan's platform on this machine. Starts, in order, the emulator with every
 * planned data resource, the local identity provider, the control plane (ECS, Step Functions), the
 * Lambda runtime with its triggers (queue pollers, EventBridge rules and schedules), the services as
 * local processes (MLflow among them, artifacts in the emulator's S3), the load balancer and API Gateway
 * proxies. Everything listens on 127.0.0.1; logs go to `<stateDir>/logs/<component>.log`.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { seedMlflowStore, venvBin } from "@tradai/testing";
import { acceptedToken, createCognitoAuthorizer } from "./components/authorizer";
import { bundleLocalCode, type LocalCode } from "./components/code";
import { startControlPlane } from "./components/control-plane";
import { createLocalEcs, type LocalEcs } from "./components/ecs";
import { attachEmulator, type Emulator, provision, startEmulator } from "./components/emulator";
import { type EventBus, startEventBus } from "./components/event-bus";
import { createFunctionRuntime, type FunctionRuntime } from "./components/functions";
import { type Gateway, startApiGateway, startLoadBalancer } from "./components/gateways";
import { type LocalIdentity, startIdentity, type TokenRequest } from "./components/identity";
import { type QueuePollers, startQueuePollers } from "./components/queue-pollers";
import { createStepFunctions, type LocalStepFunctions } from "./components/step-functions";
import { type Endpoints, localEnvironment, redirectValue } from "./environment";
import { readEnvironmentPlan } from "./plan-source";
import { freePort, reservePort, waitForHttp } from "./processes";
import { runSteps, type Step, type StepTimings } from "./progress";
import { type ContainerSpec, type Topology, topologyOf } from "./topology";

export interface PlatformOptions {
  repoRoot: string;
  /** Directory holding `<env>/<layer>.json`. @default `<repoRoot>/plan` */
  planDir?: string;
  /** @default "dev" */
  env?: string;
  /** Logs and the state file. @default `<repoRoot>/.local` */
  stateDir?: string;
  /** Seconds before a failed queue record is retried (default: the queue's visibility timeout). */
  retryAfterSeconds?: number;
  /** Fire EventBridge schedules on their own. @default true */
  schedules?: boolean;
  /** Services to start. @default every planned service with a desired count above 0 */
  services?: string[];
  /** listr2 renderer: "default" (spinners), "simple" or "silent". @default "default" */
  renderer?: "default" | "simple" | "silent";
  /**
   * A moto server already running at this URL, to provision the plan's resources into instead of
   * starting an emulator of the platform's own. It stays the caller's: it should be empty (the platform
   * creates the planned resources in it and fails on any that exist), and stopping the platform leaves it
   * running with what the platform put in it. @default an emulator started (and stopped) by the platform
   * @example "http://127.0.0.1:5000"
   */
  emulatorUrl?: string;
}

export interface ComponentStatus {
  component: string;
  status: "running" | "stopped" | "ready";
  address: string;
  detail: string;
}

export interface Platform {
  topology: Topology;
  urls: { api: string; loadBalancer: string; control: string; emulator: string; identity: string };
  identity: LocalIdentity;
  functions: FunctionRuntime;
  ecs: LocalEcs;
  stepFunctions: LocalStepFunctions;
  bus: EventBus;
  logDir: string;
  /** Seconds from start to ready. */
  readySeconds: number;
  /** Seconds per start-up step (services individually). */
  timings: StepTimings;
  /** A planned URL (`http://mlflow.tradai-dev.internal:5000/mlflow`) as it is reached locally. */
  localUrl(planned: string): string;
  status(): ComponentStatus[];
  stop(): Promise<void>;
}

/** The state file `tradai local status|down|run` find the running platform by. */
export interface PlatformState {
  pid: number;
  env: string;
  controlUrl: string;
  apiUrl: string;
  logDir: string;
  startedAt: string;
}

export const STATE_FILE = "state.json";

/** The `/health`-style path a container's health check command polls, if it names one. */
function healthPathOf(command: string): string | undefined {
  return /https?:\/\/127\.0\.0\.1:\d+(\/[^'"\s)]*)/.exec(command)?.[1];
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const started = Date.now();
  const env = options.env ?? "dev";
  const stateDir = options.stateDir ?? path.join(options.repoRoot, ".local");
  const logDir = path.join(stateDir, "logs");
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const platformLog = fs.createWriteStream(path.join(logDir, "platform.log"), { flags: "a" });
  const log = (component: string) => (line: string) =>
    platformLog.write(`${new Date().toISOString()} [${component}] ${line}\n`);
  const functionLogs = new Map<string, fs.WriteStream>();
  const functionLog = (key: string, line: string) => {
    let stream = functionLogs.get(key);
    if (!stream) {
      stream = fs.createWriteStream(path.join(logDir, `lambda-${key}.log`), { flags: "a" });
      functionLogs.set(key, stream);
    }
    stream.write(`${line}\n`);
  };

  const topology = topologyOf(
    readEnvironmentPlan(options.planDir ?? path.join(options.repoRoot, "plan"), env),
    env,
  );

  // Ports first: every component's address is known before anything starts, so environments can name them.
  // The in-process servers' ports stay held by placeholders until each server listens (reservePort).
  const [controlPort, identityPort, apiPort, albPort] = await Promise.all([
    reservePort(),
    reservePort(),
    reservePort(),
    reservePort(),
  ]);
  const servicePorts = new Map<string, number>();
  const origins = new Map<string, string>();
  for (const service of topology.services) {
    const td = topology.taskDefinitions.find((t) => t.family === service.family);
    const containerPort = td?.containers[0]?.containerPort;
    if (containerPort === undefined) continue;
    const port = await freePort();
    servicePorts.set(service.key, port);
    if (service.discoveryName) {
      origins.set(
        `http://${service.discoveryName}.${topology.namespace}:${containerPort}`,
        `http://127.0.0.1:${port}`,
      );
    }
  }
  if (topology.alb.dnsName) origins.set(`http://${topology.alb.dnsName}`, `http://127.0.0.1:${albPort.port}`);
  const originSecret = randomBytes(24).toString("base64url");
  const endpoints: Endpoints = {
    emulatorUrl: "",
    controlUrl: `http://127.0.0.1:${controlPort.port}`,
    identityUrl: `http://127.0.0.1:${identityPort.port}`,
    region: topology.region,
    origins,
  };

  // Released first on a start that fails before their servers listen (release is idempotent).
  const stops: (() => Promise<void> | void)[] = [controlPort, identityPort, apiPort, albPort].map(
    (reserved) => () => reserved.release(),
  );
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const fn of stops.reverse()) {
      try {
        await fn();
      } catch (error) {
        log("platform")(`stop failed: ${(error as Error).message}`);
      }
    }
    for (const stream of functionLogs.values()) stream.end();
    platformLog.end();
  };

  let code: LocalCode | undefined;
  let emulator: Emulator | undefined;
  let identity: LocalIdentity | undefined;
  let functions: FunctionRuntime | undefined;
  let ecs: LocalEcs | undefined;
  let bus: EventBus | undefined;
  let stepFunctions: LocalStepFunctions | undefined;
  let pollers: QueuePollers | undefined;
  let api: Gateway | undefined;
  let alb: Gateway | undefined;
  let control: { url: string; stop(): Promise<void> } | undefined;
  const mlflowDir = path.join(stateDir, "mlflow");
  /** Starts a service; MLflow's on a store seeded with its schema (see {@link mlflowEnvironment}). */
  const startService = async (key: string) => {
    const family = topology.services.find((s) => s.key === key)?.family;
    const containers = topology.taskDefinitions.find((t) => t.family === family)?.containers ?? [];
    if (containers.some(runsMlflow)) await seedMlflowStore(path.join(mlflowDir, MLFLOW_STORE_FILE));
    await (ecs as LocalEcs).startServices([key]);
  };
  const selectedServices = topology.services.filter((s) =>
    options.services ? options.services.includes(s.key) : s.desiredCount > 0,
  );

  const steps: Step[] = [
    {
      title: `Plan: ${env} (${topology.functions.length} functions, ${topology.services.length} services)`,
    },
    {
      title: "Code: every function's and Node service's bundle, as its image ships it",
      run: async (update) => {
        const started = Date.now();
        code = bundleLocalCode(options.repoRoot, topology);
        update(
          `${topology.functions.length} functions and the Node services bundled from the checkout (esbuild, content-cached) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      },
    },
    {
      title: "AWS emulator (moto) with the planned buckets, tables, queues, topics, secrets",
      run: async (update) => {
        if (options.emulatorUrl) emulator = await attachEmulator(options.emulatorUrl, topology);
        else {
          emulator = await startEmulator(topology, logDir, options.repoRoot);
          const running = emulator.process;
          stops.push(() => running?.stop(5000).then(() => undefined));
        }
        endpoints.emulatorUrl = emulator.url;
        // The SQS client sends requests to the queue URL's host: planned queue URLs name the emulator.
        origins.set(`https://sqs.${topology.region}.amazonaws.com`, emulator.url);
        await provision(emulator, topology);
        update(
          `AWS emulator ${emulator.url}: ${topology.buckets.length} buckets, ${topology.tables.length} tables, ${topology.queues.length} queues, ${topology.topics.length} topics, ${topology.secrets.length} secrets`,
        );
      },
    },
    {
      title: "Identity, Lambda runtime, control plane, gateways",
      run: async (update) => {
        identity = await startIdentity(topology.identity, identityPort);
        const idp = identity;
        stops.push(() => idp.stop());
        const emulatorUrl = endpoints.emulatorUrl;
        const localCode = code as LocalCode;
        const runtime = createFunctionRuntime({
          functions: topology.functions,
          code: localCode,
          region: topology.region,
          environmentOf: (spec) => ({ TZ: "UTC", ...localEnvironment(spec.environment, endpoints) }),
          log: functionLog,
        });
        functions = runtime;
        stops.push(() => runtime.stop());
        const eventBus = startEventBus({
          topology,
          functions: runtime,
          log: log("events"),
          ...(options.schedules === undefined ? {} : { schedules: options.schedules }),
        });
        bus = eventBus;
        stops.push(() => eventBus.stop());
        const secrets = new SecretsManagerClient({
          endpoint: emulatorUrl,
          region: topology.region,
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        });
        stops.push(() => secrets.destroy());
        const localEcs = createLocalEcs({
          topology,
          repoRoot: options.repoRoot,
          code: localCode,
          logDir,
          endpoints,
          servicePorts,
          bus: eventBus,
          secrets,
          extraEnvironment: (container, family) =>
            mlflowEnvironment(container, family, servicePorts, topology, endpoints.emulatorUrl, mlflowDir),
          log: log("ecs"),
        });
        ecs = localEcs;
        stops.push(() => localEcs.stop());
        const sfn = createStepFunctions({
          topology,
          functions: runtime,
          ecs: localEcs,
          log: log("states"),
        });
        stepFunctions = sfn;
        control = await startControlPlane({
          port: controlPort,
          clusterArn: topology.cluster.arn,
          ecs: localEcs,
          stepFunctions: sfn,
          functions: runtime,
          routes: { handle: (method, route, body) => localRoute(method, route, body) },
          log: log("control"),
        });
        const controlPlane = control;
        stops.push(() => controlPlane.stop());
        const sqs = new SQSClient({
          endpoint: emulatorUrl,
          region: topology.region,
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        });
        const queuePollers = startQueuePollers({
          topology,
          emulatorUrl,
          sqs,
          functions: runtime,
          log: log("pollers"),
          pollerOptions:
            options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds },
        });
        pollers = queuePollers;
        stops.push(async () => {
          await queuePollers.stop();
          sqs.destroy();
        });
        const targetOf = (arn: string) => {
          const service = topology.services.find((s) => arn in s.targetGroups);
          const port = service ? servicePorts.get(service.key) : undefined;
          return port === undefined ? undefined : `127.0.0.1:${port}`;
        };
        alb = await startLoadBalancer({
          topology,
          port: albPort,
          originSecret,
          targetOf,
          log: log("load-balancer"),
        });
        const lb = alb;
        stops.push(() => lb.stop());
        const jwks = async () =>
          (await (
            await fetch(`${idp.url}/${topology.identity.userPoolId}/.well-known/jwks.json`)
          ).json()) as never;
        api = await startApiGateway({
          topology,
          port: apiPort,
          albUrl: lb.url,
          originSecret,
          invoke: (arn, event) => runtime.invoke(runtime.keyOf(arn), event),
          authorize: createCognitoAuthorizer(topology.identity, jwks),
          log: log("api-gateway"),
        });
        const gateway = api;
        stops.push(() => gateway.stop());
        update(
          `Lambda runtime (${runtime.keys().length} functions, ${topology.queueTriggers.length} queue pollers, ${topology.rules.length} rules), API ${api.url}`,
        );
      },
    },
    {
      title: "Services",
      concurrent: selectedServices.map(
        (service): Step => ({
          title: service.key,
          run: async (update) => {
            const localEcs = ecs as LocalEcs;
            await startService(service.key);
            const port = servicePorts.get(service.key);
            const td = topology.taskDefinitions.find((t) => t.family === service.family);
            const running = localEcs.service(service.key).running[0];
            if (port !== undefined && td && running?.process) {
              const healthPath = healthPathOf(JSON.stringify(td)) ?? "/health";
              await waitForHttp(`http://127.0.0.1:${port}${healthPath}`, {
                process: running.process,
                timeoutMs: 120_000,
                name: service.key,
                logFile: path.join(logDir, `${service.key}.log`),
              });
              update(`${service.key}: http://127.0.0.1:${port}`);
            } else {
              update(`${service.key}: running (pid ${running?.process?.pid ?? "?"})`);
            }
          },
        }),
      ),
    },
  ];

  let timings: StepTimings = [];
  const platform = (): Platform => ({
    topology,
    urls: {
      api: (api as Gateway).url,
      loadBalancer: (alb as Gateway).url,
      control: (control as { url: string }).url,
      emulator: endpoints.emulatorUrl,
      identity: endpoints.identityUrl,
    },
    identity: identity as LocalIdentity,
    functions: functions as FunctionRuntime,
    ecs: ecs as LocalEcs,
    stepFunctions: stepFunctions as LocalStepFunctions,
    bus: bus as EventBus,
    logDir,
    readySeconds: (Date.now() - started) / 1000,
    timings,
    localUrl: (planned) => redirectValue(planned, endpoints),
    status: () => statusOf(),
    stop,
  });

  const statusOf = (): ComponentStatus[] => {
    const rows: ComponentStatus[] = [
      {
        component: "emulator",
        status: emulator && (emulator.process?.running ?? true) ? "running" : "stopped",
        address: endpoints.emulatorUrl,
        detail: emulator?.process
          ? `pid ${emulator.process.pid}`
          : emulator
            ? "attached (not started here)"
            : "pid -",
      },
      {
        component: "identity",
        status: "running",
        address: endpoints.identityUrl,
        detail: topology.identity.userPoolId,
      },
      {
        component: "control-plane",
        status: "running",
        address: endpoints.controlUrl,
        detail: "ECS, Step Functions",
      },
      {
        component: "api-gateway",
        status: "running",
        address: api?.url ?? "",
        detail: `${topology.api.methods.length} methods`,
      },
      {
        component: "load-balancer",
        status: "running",
        address: alb?.url ?? "",
        detail: `${topology.alb.routes.length} routes, origin check ${topology.alb.defaultBlock ? "on" : "off"}`,
      },
    ];
    for (const service of topology.services) {
      const s = ecs?.service(service.key);
      const port = servicePorts.get(service.key);
      rows.push({
        component: service.key,
        status: s && s.running.length > 0 ? "running" : "stopped",
        address: port === undefined ? "" : `http://127.0.0.1:${port}`,
        detail: `${s?.running.length ?? 0}/${s?.desiredCount ?? 0} tasks${s?.running[0]?.process ? `, pid ${s.running[0].process.pid}` : ""}`,
      });
    }
    const batches = pollers?.batches() ?? {};
    const inStateMachine = (arn: string) => topology.stateMachine?.definition.includes(arn) ?? false;
    for (const fn of topology.functions) {
      const trigger = [
        ...topology.queueTriggers
          .filter((q) => q.functionKey === fn.key)
          .map((q) => `queue ${q.queueArn.split(":").pop()} (${batches[fn.key] ?? 0} batches)`),
        ...topology.rules
          .filter((r) => r.functionKey === fn.key)
          .map((r) => r.scheduleExpression ?? "event rule"),
      ];
      if (inStateMachine(fn.arn)) trigger.push("state machine");
      rows.push({
        component: `lambda ${fn.key}`,
        status: "ready",
        address: "",
        detail: trigger.join(", ") || "on demand (tradai local run)",
      });
    }
    const tasksRunning =
      ecs?.tasks().filter((t) => !t.group.startsWith("service:") && t.lastStatus === "RUNNING").length ?? 0;
    rows.push({
      component: "tasks",
      status: "running",
      address: "",
      detail: `${tasksRunning} one-off task(s) running`,
    });
    return rows;
  };

  const localRoute = async (
    method: string,
    route: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const input = (body ?? {}) as Record<string, unknown>;
    if (method === "GET" && route === "status") return { status: 200, body: statusOf() };
    if (method === "POST" && route === "token") {
      const request = { ...acceptedToken(topology), ...(input as Partial<TokenRequest>) } as TokenRequest;
      return { status: 200, body: { token: (identity as LocalIdentity).mint(request) } };
    }
    const invoke = /^invoke\/([\w-]+)$/.exec(route)?.[1];
    if (method === "POST" && invoke) {
      const runtime = functions as FunctionRuntime;
      try {
        const hasSchedule = topology.rules.some((r) => r.functionKey === invoke && r.scheduleExpression);
        const result =
          input.event === undefined && hasSchedule
            ? await (bus as EventBus).runScheduled(invoke)
            : await runtime.invoke(invoke, input.event ?? {});
        return { status: 200, body: { ok: true, result } };
      } catch (error) {
        return {
          status: 200,
          body: { ok: false, errorType: (error as Error).name, errorMessage: (error as Error).message },
        };
      }
    }
    const service = /^services\/([\w-]+)\/(stop|start)$/.exec(route);
    if (method === "POST" && service?.[1]) {
      if (service[2] === "stop") await (ecs as LocalEcs).stopService(service[1]);
      else await startService(service[1]);
      return { status: 200, body: { ok: true } };
    }
    if (method === "POST" && route === "shutdown") {
      setImmediate(() => process.kill(process.pid, "SIGTERM"));
      return { status: 202, body: { ok: true } };
    }
    return { status: 404, body: { message: `no route ${method} /local/${route}` } };
  };

  try {
    timings = await runSteps(steps, options.renderer ?? "default");
  } catch (error) {
    await stop();
    throw error;
  }
  const ready = platform();
  const state: PlatformState = {
    pid: process.pid,
    env,
    controlUrl: ready.urls.control,
    apiUrl: ready.urls.api,
    logDir,
    startedAt: new Date(started).toISOString(),
  };
  fs.writeFileSync(path.join(stateDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  stops.unshift(() => fs.rmSync(path.join(stateDir, STATE_FILE), { force: true }));
  return ready;
}

/** The container runs the MLflow image (`<registry>/mlflow:<tag>` or `@<digest>`). */
const runsMlflow = (container: ContainerSpec) => /\/mlflow(@|:|$)/.test(container.image);

/** MLflow's sqlite store locally, in the platform's state directory (there is no RDS). */
const MLFLOW_STORE_FILE = "mlflow.db";

/**
 * MLflow runs from its own image's entrypoint with the task definition's environment; locally its
 * backend store is a sqlite file (there is no RDS) and its artifact root stays the planned bucket, in
 * the emulator's S3.
 */
function mlflowEnvironment(
  container: ContainerSpec,
  family: string,
  servicePorts: Map<string, number>,
  topology: Topology,
  emulatorUrl: string,
  dataDir: string,
): Record<string, string> {
  if (!runsMlflow(container)) return {};
  const service = topology.services.find((s) => s.family === family);
  const port = service ? servicePorts.get(service.key) : undefined;
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    PATH: `${path.dirname(venvBin("mlflow"))}:${process.env.PATH ?? ""}`,
    // Seeded with MLflow's schema before the service starts (seedMlflowStore): no migrations at each start.
    MLFLOW_BACKEND_STORE_URI: `sqlite:///${path.join(dataDir, MLFLOW_STORE_FILE)}`,
    MLFLOW_HOST: "127.0.0.1",
    ...(port !== undefined ? { MLFLOW_PORT: String(port) } : {}),
    MLFLOW_WORKERS: "1",
    MLFLOW_S3_ENDPOINT_URL: emulatorUrl,
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false",
  };
}
