/**
 * An HTTP server on 127.0.0.1 that records every request and answers 503: stands in for a service (MLflow)
 * that a rejected input must never reach.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordingServer {
  url: string;
  /** `METHOD path` of every request received so far. */
  requests: string[];
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(503, { "content-type": "application/json" });
    res.end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "recording server" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
