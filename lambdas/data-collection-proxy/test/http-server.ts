/** A scripted HTTP server on 127.0.0.1 standing in for the data-collection service. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer: a status and a JSON or text body, or `hang` (never answers). */
export type Reply = { status: number; json?: unknown; text?: string } | "hang";

export interface ReceivedRequest {
  method: string;
  url: string;
  body: string;
}

export interface ScriptedServer {
  url: string;
  received: ReceivedRequest[];
  /** Queues the answers of the next requests; when the queue is empty the server answers 500. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const replies: Reply[] = [];
  const received: ReceivedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", body: Buffer.concat(chunks).toString() });
      const reply = replies.shift() ?? { status: 500, text: "unscripted request" };
      if (reply === "hang") {
        hanging.add(res);
        return;
      }
      if (reply.json !== undefined) {
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(JSON.stringify(reply.json));
      } else {
        res.writeHead(reply.status, { "content-type": "text/plain" });
        res.end(reply.text ?? "");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (...next) => {
      replies.push(...next);
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
