/**
 * The Lambda functions of the plan, hosted in this process: each function gets its own worker thread
 * (its own `process.env`: the plan's variables with endpoints redirected) loading the function's bundle as
 * its image ships it (`code.ts`), created on the first
 * invocation (the cold start) and kept warm. An invocation that outlives the plan's timeout ends the
 * worker, as Lambda ends the execution environment.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { FunctionSpec } from "../topology";
import type { LocalCode } from "./code";

/** A function error, as Lambda reports it (`FunctionError: Unhandled`). */
export class FunctionError extends Error {
  constructor(
    readonly functionKey: string,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface InvocationRecord {
  functionKey: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  error?: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class FunctionHost {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Invocations run one at a time per environment. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Set by stop(): a late invocation (a poller or execution still winding down) starts no environment. */
  private stopped = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly handlerPath: string,
    private readonly env: Record<string, string>,
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  private start(): Worker {
    const worker = new Worker(path.join(__dirname, "..", "runtime", "lambda-worker.cts"), {
      env: this.env,
      stdout: true,
      stderr: true,
      workerData: {
        handlerPath: this.handlerPath,
        functionName: this.spec.functionName,
        arn: this.spec.arn,
        timeoutSeconds: this.spec.timeoutSeconds,
        region: this.region,
      },
    });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line) this.log(line);
    };
    worker.stdout.on("data", forward);
    worker.stderr.on("data", forward);
    worker.on(
      "message",
      (message: {
        id: number;
        ok: boolean;
        result?: unknown;
        error?: { errorType: string; errorMessage: string };
      }) => {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.result);
        else {
          pending.reject(
            new FunctionError(
              this.spec.key,
              message.error?.errorType ?? "Error",
              message.error?.errorMessage ?? "failed",
            ),
          );
        }
      },
    );
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", () => {
      this.worker = undefined;
      this.failAll(new Error(`${this.spec.key}: execution environment exited`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  invoke(event: unknown): Promise<unknown> {
    const run = () =>
      new Promise<unknown>((resolve, reject) => {
        if (this.stopped) {
          reject(new Error(`${this.spec.key}: stopped`));
          return;
        }
        const worker = this.worker ?? this.start();
        const id = this.nextId++;
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(
            new FunctionError(
              this.spec.key,
              "Sandbox.Timedout",
              `Task timed out after ${this.spec.timeoutSeconds} seconds`,
            ),
          );
          void worker.terminate();
        }, this.spec.timeoutSeconds * 1000);
        this.pending.set(id, { resolve, reject, timer });
        worker.postMessage({ id, event });
      });
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.failAll(new Error(`${this.spec.key}: stopped`));
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

export interface FunctionRuntime {
  keys(): string[];
  spec(key: string): FunctionSpec;
  /** Synchronous invocation (RequestResponse): resolves with the handler's result, rejects with FunctionError. */
  invoke(key: string, event: unknown): Promise<unknown>;
  /** Resolves a function ARN or name (as a state machine or rule names it) to its key. */
  keyOf(ref: string): string;
  recent(): InvocationRecord[];
  stop(): Promise<void>;
}

export function createFunctionRuntime(options: {
  functions: FunctionSpec[];
  /** Where each function's handler module is (its image's bundle). */
  code: Pick<LocalCode, "handlerOf">;
  region: string;
  /** The environment of one function (plan variables, redirected). */
  environmentOf: (spec: FunctionSpec) => Record<string, string>;
  log: (key: string, line: string) => void;
}): FunctionRuntime {
  const hosts = new Map<string, FunctionHost>();
  for (const spec of options.functions) {
    const handlerPath = options.code.handlerOf(spec.key);
    hosts.set(
      spec.key,
      new FunctionHost(spec, handlerPath, options.environmentOf(spec), options.region, (line) =>
        options.log(spec.key, line),
      ),
    );
  }
  const records: InvocationRecord[] = [];
  const host = (key: string) => {
    const found = hosts.get(key);
    if (!found)
      throw new Error(`unknown function ${key}; the plan declares: ${[...hosts.keys()].join(", ")}`);
    return found;
  };
  return {
    keys: () => [...hosts.keys()],
    spec: (key) => host(key).spec,
    keyOf(ref) {
      const name = ref.split(":").pop() ?? ref;
      for (const h of hosts.values()) {
        if (h.spec.arn === ref || h.spec.functionName === name || h.spec.key === ref) return h.spec.key;
      }
      throw new Error(`no local function for ${ref}`);
    },
    async invoke(key, event) {
      const started = Date.now();
      try {
        const result = await host(key).invoke(event);
        records.push({
          functionKey: key,
          startedAt: new Date(started).toISOString(),
          durationMs: Date.now() - started,
          ok: true,
        });
        return result;
      } catch (error) {
        records.push({
          functionKey: key,
          startedAt: new Date(started).toISOString(),
          durationMs: Date.now() - started,
          ok: false,
          error: (error as Error).message,
        });
        options.log(key, `invocation failed: ${(error as Error).name}: ${(error as Error).message}`);
        throw error;
      } finally {
        if (records.length > 200) records.shift();
      }
    },
    recent: () => [...records],
    async stop() {
      await Promise.all([...hosts.values()].map((h) => h.stop()));
    },
  };
}
