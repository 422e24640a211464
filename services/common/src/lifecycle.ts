import type { EventEmitter } from "node:events";
import { ConfigError } from "@tradai/contracts";
import type { ServiceApp } from "./app";

export interface RunOptions {
  port: number;
  host: string;
  /** Where SIGTERM/SIGINT come from. @default process */
  signals?: Pick<EventEmitter, "once" | "removeListener">;
  /** Longest a graceful shutdown may take before it is abandoned. @default 25000 */
  shutdownTimeoutMs?: number;
}

export interface RunningService {
  /** The address the server listens on, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Resolves when the service has shut down; `true` when it drained cleanly within the timeout. */
  closed: Promise<boolean>;
  /** Starts the same graceful shutdown a SIGTERM starts. */
  shutdown(reason: string): Promise<boolean>;
}

/**
 * Listens, then on SIGTERM or SIGINT closes the app: the server stops accepting connections, in-flight
 * requests finish, `onClose` hooks (loops, clients) run. ECS sends SIGTERM and waits `stopTimeout` (30 s
 * by default) before SIGKILL, so the default drain budget stays below that.
 */
export async function runService(app: ServiceApp, options: RunOptions): Promise<RunningService> {
  const signals = options.signals ?? process;
  const timeoutMs = options.shutdownTimeoutMs ?? 25_000;
  const url = await app.listen({ port: options.port, host: options.host });

  let closing: Promise<boolean> | undefined;
  let resolveClosed: (clean: boolean) => void = () => {};
  const closed = new Promise<boolean>((resolve) => {
    resolveClosed = resolve;
  });

  const shutdown = (reason: string): Promise<boolean> => {
    if (closing) return closing;
    app.log.info({ reason }, "shutting down: draining in-flight requests");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    closing = Promise.race([app.close().then(() => true), timedOut])
      .catch((error: unknown) => {
        app.log.error({ err: error }, "error while shutting down");
        return false;
      })
      .then((clean) => {
        clearTimeout(timer);
        signals.removeListener("SIGTERM", onSigterm);
        signals.removeListener("SIGINT", onSigint);
        app.log.info({ clean }, clean ? "shut down" : "shutdown did not drain in time");
        resolveClosed(clean);
        return clean;
      });
    return closing;
  };
  const onSigterm = () => void shutdown("SIGTERM");
  const onSigint = () => void shutdown("SIGINT");
  signals.once("SIGTERM", onSigterm);
  signals.once("SIGINT", onSigint);

  return { url, closed, shutdown };
}

/**
 * Ends the process with `code` once pending output is written: sets the exit code and lets the event loop
 * drain (so the last log lines reach stdout, which is asynchronous for pipes), with an unref'd timer that
 * forces the exit should some handle (a keep-alive socket, a timer) keep the process alive.
 */
export function exitWhenDrained(code: number, graceMs = 3000): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
}

/** The listener settings every service's config carries. */
export interface ListenConfig {
  PORT: number;
  HOST: string;
  SHUTDOWN_TIMEOUT_SECONDS: number;
}

/** Serves `app` until SIGTERM or SIGINT; resolves to the exit code: 0 when it drained in time, else 1. */
export async function serveUntilStopped(app: ServiceApp, config: ListenConfig): Promise<number> {
  const running = await runService(app, {
    port: config.PORT,
    host: config.HOST,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  });
  return (await running.closed) ? 0 : 1;
}

/**
 * Runs a container's entry point: exits with the code `main` resolves to, or writes one fatal JSON line
 * (a configuration error as its message, anything else with its stack) and exits 1.
 */
export function runMain(
  service: string,
  main: () => Promise<number>,
  context: Record<string, unknown> = {},
): void {
  main().then(
    (code) => exitWhenDrained(code),
    (error: unknown) => {
      const message =
        error instanceof ConfigError
          ? error.message
          : error instanceof Error
            ? (error.stack ?? error.message)
            : String(error);
      process.stderr.write(`${JSON.stringify({ level: "fatal", service, ...context, msg: message })}\n`);
      exitWhenDrained(1);
    },
  );
}
