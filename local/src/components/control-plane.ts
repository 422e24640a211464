/**
 * The local control plane on one loopback port:
 * - Lambda's Invoke (`AWS_ENDPOINT_URL_LAMBDA`: the backend calls validate-strategy), running the local
 *   function;
 * - the ECS and Step Functions APIs (AWS JSON protocol, `X-Amz-Target`) that the Lambdas reach through
 *   `AWS_ENDPOINT_URL_ECS` / `AWS_ENDPOINT_URL_SFN`: RunTask, DescribeTasks, ListTasks, StopTask,
 *   DescribeServices; StartExecution, DescribeExecution, ListExecutions;
 * - `/local/*`, what `tradai local status|run|token` and the end-to-end tests use.
 */
import * as http from "node:http";
import { listenOn, type PortReservation } from "../processes";
import type { LocalEcs, TaskRecord } from "./ecs";
import type { FunctionRuntime } from "./functions";
import type { LocalStepFunctions } from "./step-functions";

export interface LocalRoutes {
  /** `GET /local/<path>` or `POST /local/<path>` with a JSON body; returns the JSON answer. */
  handle(method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function describeTask(task: TaskRecord, clusterArn: string) {
  return {
    taskArn: task.taskArn,
    clusterArn,
    taskDefinitionArn: task.family,
    group: task.group,
    startedBy: task.startedBy,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    createdAt: task.createdAt.getTime() / 1000,
    ...(task.stoppedAt ? { stoppedAt: task.stoppedAt.getTime() / 1000 } : {}),
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    containers: [
      {
        name: task.containerName,
        lastStatus: task.lastStatus,
        ...(task.exitCode !== undefined ? { exitCode: task.exitCode } : {}),
      },
    ],
    launchType: "FARGATE",
  };
}

type Json = Record<string, unknown>;

export async function startControlPlane(options: {
  port: PortReservation;
  clusterArn: string;
  ecs: LocalEcs;
  stepFunctions: LocalStepFunctions;
  functions: Pick<FunctionRuntime, "invoke" | "keyOf">;
  routes: LocalRoutes;
  log: (line: string) => void;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const { ecs, stepFunctions } = options;
  const ecsActions: Record<string, (input: Json) => Promise<Json>> = {
    async RunTask(input) {
      const task = await ecs.runTask({
        taskDefinition: String(input.taskDefinition ?? ""),
        ...(input.cluster ? { cluster: String(input.cluster) } : {}),
        ...(input.startedBy ? { startedBy: String(input.startedBy) } : {}),
        ...(input.group ? { group: String(input.group) } : {}),
        ...(input.overrides ? { overrides: input.overrides as never } : {}),
      });
      return { tasks: [describeTask(task, options.clusterArn)], failures: [] };
    },
    async DescribeTasks(input) {
      const wanted = (input.tasks as string[] | undefined) ?? [];
      const all = ecs.tasks();
      const found = wanted.map((w) => all.find((t) => t.taskArn === w || t.taskArn.endsWith(`/${w}`)));
      return {
        tasks: found
          .filter((t): t is TaskRecord => t !== undefined)
          .map((t) => describeTask(t, options.clusterArn)),
        failures: wanted.filter((_, i) => !found[i]).map((arn) => ({ arn, reason: "MISSING" })),
      };
    },
    async ListTasks(input) {
      const status = String(input.desiredStatus ?? "RUNNING");
      const tasks = ecs
        .tasks()
        .filter((t) => t.desiredStatus === status)
        .filter((t) => (input.startedBy ? t.startedBy === input.startedBy : true))
        .filter((t) => (input.family ? t.family === input.family : true))
        .filter((t) => (input.serviceName ? t.group === `service:${String(input.serviceName)}` : true));
      return { taskArns: tasks.map((t) => t.taskArn) };
    },
    async StopTask(input) {
      await ecs.stopTask(String(input.task ?? ""), String(input.reason ?? "Task stopped by user"));
      const task = ecs
        .tasks()
        .find((t) => t.taskArn === input.task || t.taskArn.endsWith(`/${String(input.task)}`));
      return { task: task ? describeTask(task, options.clusterArn) : {} };
    },
    async DescribeServices(input) {
      const services = ((input.services as string[] | undefined) ?? []).map((name) => {
        const key = name.split("/").pop() ?? name;
        try {
          const s = ecs.service(key);
          return {
            serviceName: s.spec.serviceName,
            serviceArn: name,
            clusterArn: options.clusterArn,
            status: "ACTIVE",
            desiredCount: s.desiredCount,
            runningCount: s.running.length,
            pendingCount: 0,
            deployments: [
              {
                status: "PRIMARY",
                desiredCount: s.desiredCount,
                runningCount: s.running.length,
                rolloutState: "COMPLETED",
              },
            ],
          };
        } catch {
          return undefined;
        }
      });
      return {
        services: services.filter((s) => s !== undefined),
        failures: services.flatMap((s, i) =>
          s ? [] : [{ arn: (input.services as string[])[i], reason: "MISSING" }],
        ),
      };
    },
  };
  const sfnActions: Record<string, (input: Json) => Promise<Json>> = {
    async StartExecution(input) {
      try {
        const record = stepFunctions.start(
          String(input.stateMachineArn ?? ""),
          String(input.input ?? "{}"),
          input.name ? String(input.name) : undefined,
        );
        return { executionArn: record.executionArn, startDate: record.startDate.getTime() / 1000 };
      } catch (error) {
        throw new ApiError("StateMachineDoesNotExist", (error as Error).message);
      }
    },
    async DescribeExecution(input) {
      const record = stepFunctions.describe(String(input.executionArn ?? ""));
      if (!record)
        throw new ApiError(
          "ExecutionDoesNotExist",
          `Execution Does Not Exist: '${String(input.executionArn)}'`,
        );
      return {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        input: record.input,
        ...(record.output ? { output: record.output } : {}),
        ...(record.error ? { error: record.error, cause: record.cause } : {}),
        startDate: record.startDate.getTime() / 1000,
        ...(record.stopDate ? { stopDate: record.stopDate.getTime() / 1000 } : {}),
      };
    },
    async ListExecutions(input) {
      return {
        executions: stepFunctions
          .list()
          .filter((e) => (input.statusFilter ? e.status === input.statusFilter : true))
          .map((e) => ({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: e.startDate.getTime() / 1000,
          })),
      };
    },
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? "/", "http://local");
    const send = (status: number, body: unknown, contentType = "application/json") =>
      res.writeHead(status, { "content-type": contentType }).end(JSON.stringify(body));
    if (url.pathname.startsWith("/local/")) {
      try {
        const answer = await options.routes.handle(
          req.method ?? "GET",
          url.pathname.slice("/local/".length),
          text ? JSON.parse(text) : {},
        );
        send(answer.status, answer.body);
      } catch (error) {
        send(500, { message: (error as Error).message });
      }
      return;
    }
    // Lambda's REST API: POST /2015-03-31/functions/<name or ARN>/invocations.
    const invocation = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (invocation?.[1] && req.method === "POST") {
      const ref = decodeURIComponent(invocation[1]);
      const event = text ? (JSON.parse(text) as unknown) : {};
      let key: string;
      try {
        key = options.functions.keyOf(ref);
      } catch {
        send(404, { Type: "User", message: `Function not found: ${ref}` });
        return;
      }
      if (req.headers["x-amz-invocation-type"] === "Event") {
        void options.functions.invoke(key, event).catch(() => {});
        res.writeHead(202).end();
        return;
      }
      try {
        const result = await options.functions.invoke(key, event);
        res
          .writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" })
          .end(JSON.stringify(result ?? null));
      } catch (error) {
        const e = error as Error;
        res
          .writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" })
          .end(JSON.stringify({ errorType: e.name, errorMessage: e.message }));
      }
      return;
    }
    const target = String(req.headers["x-amz-target"] ?? "");
    const [prefix, action = ""] = target.split(".");
    const table = prefix?.startsWith("AmazonEC2ContainerService")
      ? ecsActions
      : prefix === "AWSStepFunctions"
        ? sfnActions
        : undefined;
    const contentType =
      prefix === "AWSStepFunctions" ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
    const handler = table?.[action];
    if (!handler) {
      options.log(`unsupported API call ${target || `${req.method} ${url.pathname}`}`);
      send(
        400,
        { __type: "UnknownOperationException", message: `${target} is not emulated locally` },
        contentType,
      );
      return;
    }
    try {
      send(200, await handler(text ? (JSON.parse(text) as Json) : {}), contentType);
    } catch (error) {
      const e = error as Error & { type?: string; status?: number };
      const type =
        e instanceof ApiError ? e.type : e.name === "ClientException" ? "ClientException" : "ServerException";
      send(
        e instanceof ApiError ? e.status : type === "ClientException" ? 400 : 500,
        { __type: type, message: e.message },
        contentType,
      );
    }
  });
  const url = await listenOn(server, options.port);
  return {
    url,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
