/**
 * The retraining state machine, run from the plan's ASL by aws-local-stepfunctions (a maintained
 * interpreter of the States language: paths, Parameters, ResultSelector, Retry, Catch, Choice). Its Task
 * states are bound to the local platform by resource: `lambda:invoke` calls the named local function and
 * returns Lambda's `{ Payload, StatusCode }`; `ecs:runTask.sync` runs the task locally and waits for it to
 * stop, failing the state when the container exits non-zero, as the service integration does.
 */
import { randomUUID } from "node:crypto";
import type { Topology } from "../topology";
import type { LocalEcs } from "./ecs";
import type { FunctionRuntime } from "./functions";

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** States entered, in order. */
  states: string[];
}

export interface LocalStepFunctions {
  start(stateMachineArn: string, input: string, name?: string): ExecutionRecord;
  describe(executionArn: string): ExecutionRecord | undefined;
  list(): ExecutionRecord[];
  wait(executionArn: string): Promise<ExecutionRecord>;
}

/** Raised by a Task state whose integration failed; `name` is the States error a Catch matches. */
class TaskFailed extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type Definition = { States: Record<string, { Type: string; Resource?: string }> } & Record<string, unknown>;

interface RunTaskParameters {
  Cluster?: string;
  TaskDefinition: string;
  Overrides?: { ContainerOverrides?: { Name?: string; Environment?: { Name?: string; Value?: string }[] }[] };
}

export function createStepFunctions(options: {
  topology: Topology;
  functions: FunctionRuntime;
  ecs: LocalEcs;
  log: (line: string) => void;
}): LocalStepFunctions {
  const { topology, functions, ecs, log } = options;
  const executions = new Map<string, ExecutionRecord>();
  const done = new Map<string, Promise<ExecutionRecord>>();

  const handlersFor = (definition: Definition, record: ExecutionRecord) => {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type !== "Task" || !state.Resource) continue;
      const resource = state.Resource;
      if (
        resource === "arn:aws:states:::lambda:invoke" ||
        resource.startsWith("arn:aws:states:::lambda:invoke")
      ) {
        handlers[stateName] = async (input) => {
          record.states.push(stateName);
          const { FunctionName, Payload } = input as { FunctionName: string; Payload?: unknown };
          try {
            const result = await functions.invoke(functions.keyOf(FunctionName), Payload ?? {});
            return { Payload: result, StatusCode: 200, ExecutedVersion: "$LATEST" };
          } catch (error) {
            throw new TaskFailed((error as Error).name || "Lambda.Unknown", (error as Error).message);
          }
        };
      } else if (resource.startsWith("arn:aws:states:::ecs:runTask")) {
        const sync = resource.endsWith(".sync");
        handlers[stateName] = async (input) => {
          record.states.push(stateName);
          const p = input as RunTaskParameters;
          const task = await ecs.runTask({
            ...(p.Cluster ? { cluster: p.Cluster } : {}),
            taskDefinition: p.TaskDefinition,
            startedBy: `AWS Step Functions`,
            overrides: {
              containerOverrides: (p.Overrides?.ContainerOverrides ?? []).map((o) => ({
                ...(o.Name ? { name: o.Name } : {}),
                environment: (o.Environment ?? []).map((e) => ({ name: e.Name ?? "", value: e.Value ?? "" })),
              })),
            },
          });
          if (!sync) return { Tasks: [{ TaskArn: task.taskArn }] };
          const stopped = await ecs.waitForStop(task.taskArn);
          if (stopped.exitCode !== 0) {
            throw new TaskFailed("States.TaskFailed", `task ${task.taskArn} exited with ${stopped.exitCode}`);
          }
          return {
            TaskArn: task.taskArn,
            LastStatus: "STOPPED",
            Containers: [{ ExitCode: stopped.exitCode }],
          };
        };
      } else {
        handlers[stateName] = async () => {
          throw new TaskFailed("States.Runtime", `resource ${resource} is not emulated locally`);
        };
      }
    }
    return handlers;
  };

  return {
    start(stateMachineArn, input, name) {
      const machine = topology.stateMachine;
      if (!machine || machine.arn !== stateMachineArn) {
        throw new Error(`State Machine Does Not Exist: '${stateMachineArn}'`);
      }
      const definition = JSON.parse(machine.definition) as Definition;
      const executionName = name ?? randomUUID();
      const executionArn = `arn:aws:states:${topology.region}:${topology.accountId}:execution:${machine.name}:${executionName}`;
      const record: ExecutionRecord = {
        executionArn,
        name: executionName,
        stateMachineArn,
        status: "RUNNING",
        input,
        startDate: new Date(),
        states: [],
      };
      executions.set(executionArn, record);
      const promise = (async () => {
        try {
          // An invalid definition fails the execution as AWS would have refused the machine.
          const { StateMachine } = await import("aws-local-stepfunctions");
          const sm = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
          const execution = sm.run(JSON.parse(input) as never, {
            overrides: { taskResourceLocalHandlers: handlersFor(definition, record) as never },
          });
          const output = await execution.result;
          record.status = "SUCCEEDED";
          record.output = JSON.stringify(output);
        } catch (error) {
          const e = error as Error & { cause?: unknown };
          record.status = "FAILED";
          record.error = e.name;
          record.cause = e.message;
        }
        record.stopDate = new Date();
        log(
          `execution ${executionName}: ${record.status} via ${record.states.join(" -> ")}${record.error ? ` (${record.error}: ${record.cause})` : ""}`,
        );
        return record;
      })();
      done.set(executionArn, promise);
      return record;
    },
    describe: (arn) => executions.get(arn),
    list: () => [...executions.values()],
    wait(arn) {
      const promise = done.get(arn);
      if (!promise) return Promise.reject(new Error(`Execution Does Not Exist: '${arn}'`));
      return promise;
    },
  };
}
