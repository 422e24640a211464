import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import { freePort, groupAlive, processAlive, stopGroup } from "../src/process";

/** A detached shell whose group holds a second process; `trap` decides whether it heeds SIGTERM. */
function startGroup(script: string): { pid: number; exited: Promise<unknown> } {
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { pid: child.pid as number, exited };
}

describe("stopGroup", () => {
  it("ends every process of the group, the orphaned child included, before it resolves", async () => {
    const group = startGroup("sleep 60 & sleep 60");
    expect(groupAlive(group.pid)).toBe(true);
    await stopGroup(group.pid);
    await group.exited;
    expect(groupAlive(group.pid)).toBe(false);
  });

  it("kills a group that ignores SIGTERM once the grace period is over", async () => {
    // `trap '' TERM` is inherited by the background sleep, so neither process heeds SIGTERM.
    const group = startGroup("trap '' TERM; sleep 60 & sleep 60");
    await new Promise((r) => setTimeout(r, 200)); // let the shell install its trap
    const started = Date.now();
    await stopGroup(group.pid, 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(groupAlive(group.pid)).toBe(false);
  });

  it("returns at once for a group that is already gone", async () => {
    const group = startGroup("exit 0");
    await group.exited;
    await stopGroup(group.pid);
    expect(groupAlive(group.pid)).toBe(false);
  });
});

describe("processAlive", () => {
  it("is true for a running process and false once it exited, zombie or reaped", async () => {
    const child = spawn("sleep", ["60"], { stdio: "ignore" });
    const pid = child.pid as number;
    expect(processAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(processAlive(pid)).toBe(false);
  });
});

describe("freePort", () => {
  it("gives a bindable loopback port below the kernel's ephemeral range, where no outgoing connection takes one", async () => {
    const [low] = fs
      .readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/)
      .map(Number);
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low ?? 32768);
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
