/** A local HTTP server that answers only the recorded exchange requests (exact path and query). */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Answer this recording once, then fall through to the next matching one (retry scenarios). */
  once?: boolean;
}

export interface ReplayServer {
  url: string;
  /** Requests received, as `path?query`, in order. */
  requests: string[];
  /** Requests that matched no recording. */
  unmatched: string[];
  /**
   * Holds every response until the returned function is called; `received` resolves when the first held
   * request has arrived (so a test knows a call is in flight).
   */
  hold(): { release: () => void; received: Promise<void> };
  close(): Promise<void>;
}

function sameQuery(recorded: Record<string, string>, actual: URLSearchParams): boolean {
  const keys = Object.keys(recorded);
  return keys.length === [...actual.keys()].length && keys.every((key) => actual.get(key) === recorded[key]);
}

export async function startReplayServer(fixtureFile: string): Promise<ReplayServer> {
  const { exchanges } = JSON.parse(fs.readFileSync(fixtureFile, "utf8")) as { exchanges: Exchange[] };
  const requests: string[] = [];
  const unmatched: string[] = [];
  let gate: Promise<void> | undefined;
  let arrived: (() => void) | undefined;
  const server = http.createServer(async (req, res) => {
    if (gate) {
      arrived?.();
      await gate;
    }
    const url = new URL(req.url ?? "/", "http://replay");
    requests.push(`${url.pathname}${url.search}`);
    const index = exchanges.findIndex(
      (e) => e.method === req.method && e.path === url.pathname && sameQuery(e.query, url.searchParams),
    );
    const match = exchanges[index];
    if (match?.once) exchanges.splice(index, 1);
    if (!match) {
      unmatched.push(`${url.pathname}${url.search}`);
      res
        .writeHead(599, { "content-type": "application/json" })
        .end(JSON.stringify({ msg: "unrecorded request" }));
      return;
    }
    res
      .writeHead(match.status, { "content-type": "application/json", ...match.headers })
      .end(JSON.stringify(match.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    hold() {
      let release: () => void = () => {};
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      const received = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      return { release, received };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
