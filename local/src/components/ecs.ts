/**
 * ECS on this machine. A task of a planned task definition is its container command run as a local
 * process (the image's bundle `services/<image>/dist/main.js` under Node, or the MLflow entrypoint under the
 * project's Python: `code.ts`) with the task definition's environment, its secrets resolved from the emulator as ECS injects
 * them, and RunTask's container overrides. Services are tasks kept at their desired count; one-off tasks
 * come from `ecs:RunTask` (sqs-consumer, the state machine). When a task stops, an `ECS Task State Change`
 * event goes on the bus, so the plan's rules (update-status) see it as in AWS.
 */
import { randomUUID } from "node:crypto";
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type Endpoints, localEnvironment } from "../environment";
import { freePort, type ManagedProcess, spawnManaged } from "../processes";
import {
  arnName,
  type ContainerSpec,
  type ServiceSpec,
  type TaskDefinitionSpec,
  type Topology,
} from "../topology";
import type { LocalCode } from "./code";
import type { EventBus } from "./event-bus";

export interface TaskRecord {
  taskArn: string;
  family: string;
  startedBy?: string;
  group: string;
  lastStatus: "RUNNING" | "STOPPED";
  desiredStatus: "RUNNING" | "STOPPED";
  createdAt: Date;
  stoppedAt?: Date;
  stoppedReason?: string;
  stopCode?: string;
  exitCode?: number;
  containerName: string;
  overrides: unknown;
  process?: ManagedProcess;
  /** Local port of the container's port mapping, if any. */
  port?: number;
}

export interface RunTaskRequest {
  cluster?: string;
  taskDefinition: string;
  startedBy?: string;
  group?: string;
  overrides?: { containerOverrides?: { name?: string; environment?: { name?: string; value?: string }[] }[] };
}

export interface LocalEcs {
  runTask(request: RunTaskRequest): Promise<TaskRecord>;
  stopTask(taskArn: string, reason: string): Promise<void>;
  tasks(): TaskRecord[];
  /** Starts the services at their planned desired count. */
  startServices(names?: string[]): Promise<void>;
  /** Stops one service's tasks (its desired count becomes 0). */
  stopService(key: string): Promise<void>;
  service(key: string): { spec: ServiceSpec; desiredCount: number; running: TaskRecord[] };
  /** The local port a service's container listens on (planned port -> local). */
  servicePort(key: string): number | undefined;
  waitForStop(taskArn: string): Promise<TaskRecord>;
  stop(): Promise<void>;
}

export function createLocalEcs(options: {
  topology: Topology;
  repoRoot: string;
  /** How each image runs here (its bundle, as the image ships it). */
  code: Pick<LocalCode, "programOf">;
  logDir: string;
  endpoints: Endpoints;
  /** Ports reserved for services, by service key (the Cloud Map and ALB names point at them). */
  servicePorts: Map<string, number>;
  bus: EventBus;
  secrets: SecretsManagerClient;
  /** Per-image additions, e.g. MLflow's local backend store. */
  extraEnvironment: (container: ContainerSpec, family: string) => Record<string, string>;
  log: (line: string) => void;
}): LocalEcs {
  const { topology } = options;
  const tasks = new Map<string, TaskRecord>();
  const desired = new Map<string, number>();
  const stopWaiters = new Map<string, ((task: TaskRecord) => void)[]>();
  let shuttingDown = false;

  const taskDefinition = (ref: string): TaskDefinitionSpec => {
    const family = arnName(ref.replace(/:\d+$/, ""));
    const td = topology.taskDefinitions.find((t) => t.family === family);
    if (!td) throw new EcsClientError(`Unable to find task definition ${ref}`);
    return td;
  };

  const resolveSecrets = async (container: ContainerSpec): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const [name, valueFrom] of Object.entries(container.secrets)) {
      const match = /^(arn:aws[\w-]*:secretsmanager:[^:]+:\d+:secret:[^:]+?)(?::([^:]*)::)?$/.exec(valueFrom);
      const id = match?.[1] ?? valueFrom;
      // The emulator assigns its own ARN suffix; the secret's name is what both agree on.
      const secretName = id.includes(":secret:")
        ? (id.split(":secret:")[1] ?? id).replace(/-[A-Za-z0-9]{6}$/, "")
        : id;
      const value = await options.secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
      const key = match?.[2];
      out[name] = key
        ? String((JSON.parse(value.SecretString ?? "{}") as Record<string, unknown>)[key] ?? "")
        : (value.SecretString ?? "");
    }
    return out;
  };

  const emitStopped = async (task: TaskRecord) => {
    await options.bus.put({
      source: "aws.ecs",
      "detail-type": "ECS Task State Change",
      resources: [task.taskArn],
      detail: {
        clusterArn: topology.cluster.arn,
        taskArn: task.taskArn,
        taskDefinitionArn: `${taskDefinition(task.family).arn}:1`,
        group: task.group,
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        ...(task.startedBy ? { startedBy: task.startedBy } : {}),
        stopCode: task.stopCode ?? "EssentialContainerExited",
        stoppedReason: task.stoppedReason ?? "Essential container in task exited",
        createdAt: task.createdAt.toISOString(),
        stoppedAt: (task.stoppedAt ?? new Date()).toISOString(),
        containers: [
          {
            name: task.containerName,
            lastStatus: "STOPPED",
            ...(task.exitCode !== undefined ? { exitCode: task.exitCode } : {}),
          },
        ],
      },
    });
  };

  const runTask = async (
    request: RunTaskRequest,
    port?: number,
    serviceKey?: string,
  ): Promise<TaskRecord> => {
    if (request.cluster && arnName(request.cluster) !== topology.cluster.name) {
      throw new EcsClientError(`Cluster not found: ${request.cluster}`);
    }
    const td = taskDefinition(request.taskDefinition);
    const container = td.containers[0];
    if (!container) throw new EcsClientError(`task definition ${td.family} has no container`);
    const overrides = request.overrides?.containerOverrides ?? [];
    for (const o of overrides) {
      if (o.name && !td.containers.some((c) => c.name === o.name)) {
        throw new EcsClientError(`Container override names ${o.name}, not a container of ${td.family}`);
      }
    }
    const overrideEnv: Record<string, string> = {};
    for (const o of overrides.filter((o) => !o.name || o.name === container.name)) {
      for (const e of o.environment ?? []) if (e.name) overrideEnv[e.name] = e.value ?? "";
    }
    const taskId = randomUUID().replace(/-/g, "");
    const taskArn = `arn:aws:ecs:${topology.region}:${topology.accountId}:task/${topology.cluster.name}/${taskId}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      TZ: "UTC",
      NODE_ENV: "production",
      ...localEnvironment(
        { ...container.environment, ...(await resolveSecrets(container)), ...overrideEnv },
        options.endpoints,
      ),
      ...(port !== undefined ? { PORT: String(port), HOST: "127.0.0.1" } : {}),
      ...options.extraEnvironment(container, td.family),
    };
    const program = options.code.programOf(container.image);
    const logName = serviceKey ?? `task-${td.family}-${taskId.slice(0, 8)}`;
    const child = spawnManaged({
      name: logName,
      command: program.command,
      args: program.args,
      env,
      cwd: options.repoRoot,
      logDir: options.logDir,
    });
    const task: TaskRecord = {
      taskArn,
      family: td.family,
      ...(request.startedBy ? { startedBy: request.startedBy } : {}),
      group: request.group ?? `family:${td.family}`,
      lastStatus: "RUNNING",
      desiredStatus: "RUNNING",
      createdAt: new Date(),
      containerName: container.name,
      overrides: request.overrides ?? {},
      process: child,
      ...(port !== undefined ? { port } : {}),
    };
    tasks.set(taskArn, task);
    options.log(`task ${taskId} (${td.family}) started, pid ${child.pid}, log ${logName}.log`);
    void child.exited.then(async (code) => {
      task.lastStatus = "STOPPED";
      task.desiredStatus = "STOPPED";
      task.exitCode = code;
      task.stoppedAt = new Date();
      options.log(`task ${taskId} (${td.family}) exited with ${code}`);
      if (!shuttingDown)
        await emitStopped(task).catch((e: Error) => options.log(`state change event failed: ${e.message}`));
      for (const waiter of stopWaiters.get(taskArn) ?? []) waiter(task);
      stopWaiters.delete(taskArn);
    });
    return task;
  };

  const serviceSpec = (key: string): ServiceSpec => {
    const spec = topology.services.find((s) => s.key === key || s.serviceName === key);
    if (!spec) throw new EcsClientError(`Service not found: ${key}`);
    return spec;
  };

  return {
    runTask: (request) => runTask(request),
    async stopTask(taskArn, reason) {
      const task = tasks.get(taskArn) ?? [...tasks.values()].find((t) => t.taskArn.endsWith(`/${taskArn}`));
      if (!task) throw new EcsClientError(`The referenced task was not found: ${taskArn}`);
      task.desiredStatus = "STOPPED";
      task.stoppedReason = reason;
      task.stopCode = "UserInitiated";
      await task.process?.stop(30_000);
    },
    tasks: () => [...tasks.values()],
    async startServices(names) {
      const selected = topology.services.filter((s) => (names ? names.includes(s.key) : true));
      await Promise.all(
        selected.map(async (spec) => {
          desired.set(spec.key, spec.desiredCount);
          for (let i = 0; i < spec.desiredCount; i++) {
            await runTask(
              {
                taskDefinition: spec.family,
                startedBy: `ecs-svc/${spec.serviceName}`,
                group: `service:${spec.serviceName}`,
              },
              // A service without a port mapping still binds its health server: give it a free loopback port.
              options.servicePorts.get(spec.key) ?? (await freePort()),
              spec.key,
            );
          }
        }),
      );
    },
    async stopService(key) {
      const spec = serviceSpec(key);
      desired.set(spec.key, 0);
      await Promise.all(
        [...tasks.values()]
          .filter((t) => t.group === `service:${spec.serviceName}` && t.lastStatus === "RUNNING")
          .map(async (t) => {
            t.stoppedReason = "Scaling activity initiated by (deployment local)";
            t.stopCode = "ServiceSchedulerInitiated";
            await t.process?.stop(30_000);
          }),
      );
    },
    service(key) {
      const spec = serviceSpec(key);
      return {
        spec,
        desiredCount: desired.get(spec.key) ?? 0,
        running: [...tasks.values()].filter(
          (t) => t.group === `service:${spec.serviceName}` && t.lastStatus === "RUNNING",
        ),
      };
    },
    servicePort: (key) => options.servicePorts.get(key),
    waitForStop(taskArn) {
      const task = tasks.get(taskArn);
      if (task?.lastStatus === "STOPPED") return Promise.resolve(task);
      return new Promise((resolve) => {
        stopWaiters.set(taskArn, [...(stopWaiters.get(taskArn) ?? []), resolve]);
      });
    },
    async stop() {
      shuttingDown = true;
      await Promise.all([...tasks.values()].map((t) => t.process?.stop(10_000)));
    },
  };
}

/** A request ECS would refuse (HTTP 400 `ClientException`). */
export class EcsClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClientException";
  }
}
