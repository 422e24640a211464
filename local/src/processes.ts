/**
 * Child processes of the local platform. Each runs in its own process group with its output appended to
 * `<logs>/<name>.log`, so stopping it also stops what it spawned (MLflow's uvicorn worker) and nothing is
 * left behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (128 + signal number when killed by a signal). */
  readonly exited: Promise<number>;
  readonly running: boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logDir: string;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Starts a process in its own group, output appended to its log file. */
export function spawnManaged(options: SpawnOptions): ManagedProcess {
  fs.mkdirSync(options.logDir, { recursive: true });
  const log = fs.openSync(path.join(options.logDir, `${options.name}.log`), "a");
  const child: ChildProcess = spawn(options.command, options.args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", log, log],
    detached: true,
  });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const pid = child.pid;
  let running = true;
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve(code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0));
    });
    child.once("error", () => {
      running = false;
      resolve(127);
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    name: options.name,
    pid,
    exited,
    get running() {
      return running;
    },
    async stop(graceMs = 10_000) {
      if (running) {
        killGroup("SIGTERM");
        const timer = setTimeout(() => killGroup("SIGKILL"), graceMs);
        const code = await exited;
        clearTimeout(timer);
        // Anything the process left in its group (a worker that ignored SIGTERM) goes too.
        killGroup("SIGKILL");
        return code;
      }
      killGroup("SIGKILL");
      return exited;
    },
  };
}

/**
 * A free loopback port held by a placeholder listener until {@link listenOn} (or `release`): unlike
 * {@link freePort}, nothing can take it in between (another process's free port, a client socket's
 * ephemeral port), however long the platform takes to start the server that uses it.
 */
export interface PortReservation {
  readonly port: number;
  /** Closes the placeholder (idempotent). */
  release(): Promise<void>;
}

export function reservePort(): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    // Not a server: a connection made to it (a client of a server that once had this port) is dropped at
    // once, or `close()` would wait for that client and a failed start would hang in its stop.
    const placeholder = net.createServer((socket) => socket.destroy());
    placeholder.unref();
    placeholder.once("error", reject);
    placeholder.listen(0, "127.0.0.1", () => {
      const address = placeholder.address() as net.AddressInfo;
      let released: Promise<void> | undefined;
      resolve({
        port: address.port,
        release: () => {
          released ??= new Promise((done) => placeholder.close(() => done()));
          return released;
        },
      });
    });
  });
}

/**
 * Starts `server` on the reserved port, releasing the placeholder just before. Rejects on a listen error
 * (EADDRINUSE) instead of leaving the caller waiting for a `listening` that never comes.
 */
export async function listenOn(server: net.Server, port: PortReservation): Promise<string> {
  await port.release();
  return new Promise((resolve, reject) => {
    const failed = (error: Error) =>
      reject(new Error(`cannot listen on 127.0.0.1:${port.port}: ${error.message}`));
    server.once("error", failed);
    server.listen(port.port, "127.0.0.1", () => {
      server.off("error", failed);
      resolve(`http://127.0.0.1:${port.port}`);
    });
  });
}

/** A free TCP port on 127.0.0.1 for a port another process will bind (the tests' own, see there). */
export { freePort } from "@tradai/testing";

/** Polls `url` until it answers below 500; fails early when `process` exits. */
export async function waitForHttp(
  url: string,
  options: { process?: ManagedProcess; timeoutMs: number; name: string; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.process && !options.process.running) {
      throw new Error(
        `${options.name} exited before it was ready${options.logFile ? `; see ${options.logFile}` : ""}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${options.name} did not answer on ${url} within ${options.timeoutMs / 1000} s${options.logFile ? `; see ${options.logFile}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
