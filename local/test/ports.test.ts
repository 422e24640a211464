/**
 * The in-process servers' ports: held from the platform's first step until each server listens, and a
 * listen that fails rejects instead of leaving `up` waiting forever (it once hung a test run when another
 * process took a port released by freePort before the control plane bound it).
 */
import * as http from "node:http";
import * as net from "node:net";
import { listenOn, reservePort } from "../src/processes";

const listen = (server: net.Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe("port reservations", () => {
  it("hold the port until the server listens on it", async () => {
    const reserved = await reservePort();
    const intruder = net.createServer();
    await expect(listen(intruder, reserved.port)).rejects.toMatchObject({ code: "EADDRINUSE" });
    const server = http.createServer((_req, res) => res.end("ok"));
    expect(await listenOn(server, reserved)).toBe(`http://127.0.0.1:${reserved.port}`);
    expect(await (await fetch(`http://127.0.0.1:${reserved.port}/`)).text()).toBe("ok");
    await reserved.release(); // idempotent: the platform's stop releases every reservation again
    await close(server);
  });

  it("release even while a client is connected to the placeholder (a failed start's stop must not wait for it)", async () => {
    const reserved = await reservePort();
    const client = net.connect(reserved.port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.on("error", () => {});
    await closed; // dropped by the placeholder; before, close() waited for this client to leave
    await reserved.release();
    const server = net.createServer();
    await listen(server, reserved.port);
    await close(server);
  });

  it("reject, naming the port, when the port was taken anyway", async () => {
    const reserved = await reservePort();
    await reserved.release();
    const intruder = net.createServer();
    await listen(intruder, reserved.port);
    try {
      await expect(listenOn(http.createServer(), reserved)).rejects.toThrow(
        `cannot listen on 127.0.0.1:${reserved.port}: listen EADDRINUSE`,
      );
    } finally {
      await close(intruder);
    }
  });
});
