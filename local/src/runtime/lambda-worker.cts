/**
 * One Lambda's execution environment: a worker thread with the function's own `process.env` (the plan's
 * variables plus the emulator endpoint), which loads the function's bundle once (`lambdas/<key>/dist/index.js`,
 * as its image does: the cold start) and runs one invocation at a time, as a Lambda execution environment
 * does.
 *
 * CommonJS TypeScript that Node runs as it is (it strips the types): no TypeScript loader in the thread,
 * which loads a bundle as the Lambda runtime does.
 */
const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
const { parentPort, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");

interface WorkerInput {
  handlerPath: string;
  functionName: string;
  arn: string;
  timeoutSeconds: number;
  region: string;
}

interface InvokeMessage {
  id: number;
  event: unknown;
}

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

const input = workerData as WorkerInput;
let loaded: Promise<Handler> | undefined;

function loadHandler(): Promise<Handler> {
  loaded ??= import(input.handlerPath).then(
    (module: { handler?: unknown; default?: { handler?: unknown } }) => {
      const handler = module.handler ?? module.default?.handler;
      if (typeof handler !== "function") throw new Error(`${input.handlerPath} exports no handler`);
      return handler as Handler;
    },
  );
  return loaded;
}

function serializeError(error: unknown): { errorType: string; errorMessage: string; stack?: string } {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { errorType: "Error", errorMessage: String(error) };
}

parentPort?.on("message", async (message: InvokeMessage) => {
  const started = Date.now();
  const context = {
    functionName: input.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: input.arn,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, input.timeoutSeconds * 1000 - (Date.now() - started)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  try {
    const handler = await loadHandler();
    const result = await handler(message.event, context);
    parentPort?.postMessage({ id: message.id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, ok: false, error: serializeError(error) });
  }
});
