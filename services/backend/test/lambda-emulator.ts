/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`) served in-process by the real
 * handler modules, so the backend's AWS SDK Lambda client is tested end to end without a Lambda runtime.
 * A handler that throws answers like Lambda: 200 with `X-Amz-Function-Error: Unhandled`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context } from "aws-lambda";

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaEmulator {
  url: string;
  /** Events each function received, in order. */
  invocations: Record<string, unknown[]>;
  close(): Promise<void>;
}

function context(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "128",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "emulator",
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export async function startLambdaEmulator(handlers: Record<string, Handler>): Promise<LambdaEmulator> {
  const invocations: Record<string, unknown[]> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
      const name = match?.[1] ? decodeURIComponent(match[1]) : "";
      const handler = handlers[name];
      if (req.method !== "POST" || !handler) {
        res.writeHead(404, {
          "content-type": "application/json",
          "x-amzn-errortype": "ResourceNotFoundException",
        });
        res.end(JSON.stringify({ Type: "User", message: `Function not found: ${name}` }));
        return;
      }
      const event = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : {};
      invocations[name] = [...(invocations[name] ?? []), event];
      handler(event, context(name)).then(
        (result) => {
          res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" });
          res.end(JSON.stringify(result ?? null));
        },
        (error: Error) => {
          res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" });
          res.end(JSON.stringify({ errorType: error.name, errorMessage: error.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
