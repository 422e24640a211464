/** Small helpers to run a local server process for a test file and wait until it answers. */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";

/** The first of the kernel's ephemeral ports, where `listen(0)` and every outgoing connection take theirs. */
function firstEphemeralPort(): number {
  try {
    const low = Number(
      fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0],
    );
    if (low > 0) return low;
  } catch {
    // not Linux: Linux's default below
  }
  return 32768;
}

/** The lowest port {@link freePort} picks: above the well-known and most registered service ports. */
const PICKED_PORT_FLOOR = 10_000;

/** Whether 127.0.0.1:`port` can be bound now (checked by binding it and letting go). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A port the OS picks (in its ephemeral range), released at once. */
function osPickedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not allocate a port"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * A free TCP port on 127.0.0.1 for a server another process will bind, released until then. Taken below
 * the kernel's ephemeral range: between the check and the child's bind, any outgoing connection (an SDK's
 * to the emulator, a poller's) may be given a free ephemeral port as its local port, and the child then
 * fails with EADDRINUSE (seen in a clean clone's run: a service of the local platform). Below the range a
 * port is only taken by an explicit bind. Falls back to a port the OS picks when that range is too small.
 */
export async function freePort(): Promise<number> {
  const low = firstEphemeralPort();
  for (let attempt = 0; attempt < 50 && low - PICKED_PORT_FLOOR >= 1000; attempt++) {
    const port = PICKED_PORT_FLOOR + Math.floor(Math.random() * (low - PICKED_PORT_FLOOR));
    if (await bindable(port)) return port;
  }
  return osPickedPort();
}

export interface LocalServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** The server's process id, when this process started it. */
  readonly pid?: number;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface StartOptions {
  command: string;
  args: (port: number) => string[];
  /** Path polled with GET until it answers below 500. */
  readyPath: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long to wait for readiness. @default 60000 */
  timeoutMs?: number;
  name: string;
  /**
   * Run the server in its own process group, its output appended to this file, so that it outlives the
   * process that started it (a server shared by a whole test run); `stop()` ends the group.
   */
  detachedLog?: string;
}

/** Starts a server on a free loopback port and resolves once `readyPath` answers. */
export async function startLocalServer(options: StartOptions): Promise<LocalServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = options.detachedLog ? fs.openSync(options.detachedLog, "a") : undefined;
  const child = spawn(options.command, options.args(port), {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: log === undefined ? ["ignore", "pipe", "pipe"] : ["ignore", log, log],
    detached: log !== undefined,
  });
  if (log !== undefined) {
    fs.closeSync(log);
    child.unref();
  }
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | null = null;
  child.on("exit", (code) => {
    exited = code ?? -1;
  });

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const printed = () =>
    options.detachedLog ? fs.readFileSync(options.detachedLog, "utf8").slice(-20_000) : output.join("");
  for (;;) {
    if (exited !== null) {
      throw new Error(`${options.name} exited with ${exited} before it was ready:\n${printed()}`);
    }
    try {
      const response = await fetch(`${url}${options.readyPath}`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not answer on ${url}${options.readyPath}:\n${printed()}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  if (options.detachedLog !== undefined && child.pid !== undefined) {
    const pid = child.pid;
    return { url, port, pid, stop: () => stopGroup(pid) };
  }
  return { url, port, pid: child.pid, stop: () => stopChild(child) };
}

/**
 * Ends a detached server's process group (the server and the workers it forked): SIGTERM, then SIGKILL
 * for whatever is still running after `graceMs`. Resolves once no live process is left in the group.
 */
export async function stopGroup(pid: number, graceMs = 5000): Promise<void> {
  signalGroup(pid, "SIGTERM");
  if (await groupGone(pid, graceMs)) return;
  signalGroup(pid, "SIGKILL");
  if (!(await groupGone(pid, 2000))) throw new Error(`process group ${pid} survived SIGKILL`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function groupGone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (!groupAlive(pid)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether process `pid` still runs (a zombie, exited but not yet reaped, does not: see {@link groupAlive}). */
export function processAlive(pid: number): boolean {
  if (process.platform === "linux") {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      return state !== "Z" && state !== "X";
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any process of the group still runs. Zombies do not count: an orphaned child that exited waits
 * for PID 1 to reap it, and in a container PID 1 may never do so, yet `kill(-pgid, 0)` still finds it.
 */
export function groupAlive(pgid: number): boolean {
  if (process.platform !== "linux") {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return liveProcesses().some((p) => p.pgid === pgid);
}

/** Every live process (zombies excluded, see {@link groupAlive}) with its parent and group (Linux /proc). */
function liveProcesses(): { pid: number; ppid: number; pgid: number }[] {
  const out: { pid: number; ppid: number; pgid: number }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") continue;
    out.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]) });
  }
  return out;
}

/** Command lines of every live descendant of `pid` (Linux /proc). */
export function descendantsOf(pid: number): string[] {
  const children = new Map<number, number[]>();
  for (const p of liveProcesses()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out: string[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      try {
        out.push(fs.readFileSync(`/proc/${child}/cmdline`, "utf8").replaceAll("\0", " "));
      } catch {
        continue; // exited while we looked
      }
      walk(child);
    }
  };
  walk(pid);
  return out;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
