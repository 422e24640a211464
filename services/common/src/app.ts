import { HEALTH_PATH } from "@tradai/contracts";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import { HttpError } from "./errors";

/** A named dependency check run by `/ready`; it throws (or rejects) when the dependency is unusable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface ServiceAppOptions {
  /** Service name, added to every log line as `service`. */
  service: string;
  logLevel?: string;
  /** Checks `/ready` runs; all must pass for a 200. */
  readiness?: readonly ReadinessCheck[];
  /** Per-check timeout for `/ready`. @default 3000 */
  readinessTimeoutMs?: number;
  /** Largest accepted request body. @default 1 MiB */
  bodyLimit?: number;
}

/** The Fastify instance type every service builds. */
export type ServiceApp = FastifyInstance;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The liveness path every service answers (load balancer and container health checks probe it). */
export { HEALTH_PATH };

/**
 * Builds a Fastify app with structured JSON logs (pino), `/health` (the process answers), `/ready` (every
 * dependency check passes) and an error handler that answers {@link HttpError}s with their status and
 * details and hides internal errors behind a 500. Closing the app (see `runService`) stops accepting
 * connections and waits for in-flight requests; requests arriving on kept-alive connections meanwhile get
 * a 503 (Fastify's `return503OnClosing`).
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = Fastify({
    logger: { level: options.logLevel ?? "info", base: { service: options.service } },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
    // Idle keep-alive sockets are closed on shutdown so `close()` finishes once in-flight requests are done.
    forceCloseConnections: "idle",
  }) as unknown as FastifyInstance;
  const checks = options.readiness ?? [];
  const timeoutMs = options.readinessTimeoutMs ?? 3000;

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return reply.status(error.statusCode).send({ error: error.message, ...error.details });
    }
    const status = typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.status(500).send({ error: "internal error" });
    }
    // Fastify's own 4xx errors (bad JSON, body too large, unsupported media type).
    return reply.status(status).send({ error: error.message });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: `no route for ${request.method} ${request.url}` }),
  );

  // Probes hit these every few seconds: log them only when something is wrong.
  const probeLogLevel = quieter(options.logLevel ?? "info", "warn");
  app.get(HEALTH_PATH, { logLevel: probeLogLevel }, async () => ({ status: "ok", service: options.service }));

  app.get("/ready", { logLevel: probeLogLevel }, async (request, reply) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs, name);
          return { name, ok: true, error: undefined };
        } catch (error) {
          return { name, ok: false, error: describe(error) };
        }
      }),
    );
    const failed = results.filter((result) => !result.ok);
    if (failed.length > 0) request.log.warn({ failed }, "readiness check failed");
    return reply.status(failed.length === 0 ? 200 : 503).send({
      status: failed.length === 0 ? "ready" : "not-ready",
      checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? "ok" : r.error])),
    });
  });

  return app;
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
type LevelName = (typeof LEVELS)[number];

/** The less verbose of two pino level names (unknown names count as `info`). */
function quieter(a: string, b: LevelName): LevelName {
  const known = LEVELS.find((level) => level === a) ?? "info";
  return LEVELS.indexOf(known) > LEVELS.indexOf(b) ? known : b;
}

/** A short reason for a failed check; AWS SDK errors without a message (HEAD requests) show their status. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const text = error.message && error.message !== "UnknownError" ? error.message : error.name;
  return status ? `${text} (HTTP ${status})` : text;
}

/** The logger type services pass to their non-HTTP components. */
export type Logger = FastifyBaseLogger;
