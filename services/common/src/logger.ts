import { pino } from "pino";
import type { Logger } from "./app";

/**
 * A structured JSON logger for processes without an HTTP server (one-shot tasks). Same shape as the
 * Fastify apps' logs: pino JSON lines with `service`.
 */
export function createLogger(service: string, level = "info"): Logger {
  return pino({ level, base: { service } });
}
