/**
 * The Powertools logger, metrics and tracer, created once per execution environment and shared by every
 * module of a function. The service name comes from `POWERTOOLS_SERVICE_NAME` (set per function by compute).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? "tradai";

/** The metrics namespace of every TradAI metric (alarms in the edge layer watch it). */
export const METRICS_NAMESPACE = "TradAI";

export const logger = new Logger({ serviceName });

export const metrics = new Metrics({ serviceName, namespace: METRICS_NAMESPACE });

/** X-Ray tracer; a no-op outside Lambda or when `POWERTOOLS_TRACE_ENABLED=false`. */
export const tracer = new Tracer({ serviceName });
