import { EventEmitter } from "node:events";
import * as http from "node:http";
import { createServiceApp, runService } from "../src";

/** A plain request on a fresh connection (no keep-alive), so "refused" is observable. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
  });
}

/** A route whose handler waits until released: `inHandler` resolves once a request is inside it. */
function gatedRoute(app: ReturnType<typeof createServiceApp>, path: string, reply: unknown) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered: () => void = () => {};
  const inHandler = new Promise<void>((resolve) => {
    entered = resolve;
  });
  app.get(path, async () => {
    entered();
    await released;
    return reply;
  });
  return { inHandler, release };
}

describe("runService graceful shutdown", () => {
  it("lets an in-flight request finish after SIGTERM and refuses new ones", async () => {
    const app = createServiceApp({ service: "test", logLevel: "silent" });
    const { inHandler, release } = gatedRoute(app, "/slow", { done: true });
    const closedHooks: string[] = [];
    app.addHook("onClose", async () => {
      closedHooks.push("closed");
    });
    const signals = new EventEmitter();
    const running = await runService(app, { port: 0, host: "127.0.0.1", signals });

    const slow = get(`${running.url}/slow`);
    await inHandler;
    signals.emit("SIGTERM");

    // The listener is closed: a new connection is refused while the slow request is still running.
    await expect(get(`${running.url}/health`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(closedHooks).toEqual([]);

    release();
    await expect(slow).resolves.toEqual({ status: 200, body: JSON.stringify({ done: true }) });
    await expect(running.closed).resolves.toBe(true);
    expect(closedHooks).toEqual(["closed"]);
  });

  it("reports an unclean shutdown when draining exceeds the timeout", async () => {
    const app = createServiceApp({ service: "test", logLevel: "silent" });
    const { inHandler, release } = gatedRoute(app, "/stuck", {});
    const running = await runService(app, {
      port: 0,
      host: "127.0.0.1",
      signals: new EventEmitter(),
      shutdownTimeoutMs: 50,
    });
    const stuck = get(`${running.url}/stuck`);
    await inHandler;
    await expect(running.shutdown("test")).resolves.toBe(false);
    release();
    await stuck;
  });
});

describe("createServiceApp", () => {
  it("answers /health and reports each failing readiness check by name", async () => {
    let s3Up = false;
    const app = createServiceApp({
      service: "svc",
      logLevel: "silent",
      readiness: [
        { name: "table", check: async () => {} },
        {
          name: "bucket",
          check: async () => {
            if (!s3Up) throw new Error("NoSuchBucket");
          },
        },
      ],
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", service: "svc" });

    const down = await fetch(`${url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "not-ready",
      checks: { table: "ok", bucket: "NoSuchBucket" },
    });

    s3Up = true;
    const up = await fetch(`${url}/ready`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ready", checks: { table: "ok", bucket: "ok" } });
    await app.close();
  });

  it("hides internal errors behind a 500", async () => {
    const app = createServiceApp({ service: "svc", logLevel: "silent" });
    app.get("/boom", async () => {
      throw new Error("secret detail");
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secret detail");
    await app.close();
  });
});
