/**
 * The Powertools logger, metrics and tracer, each created once per execution environment and shared by
 * every module of a function. One module per utility (and `sideEffects: false` in package.json) so a
 * bundle contains only the utilities its function uses.
 */
export { logger } from "./powertools/logger";
export { metrics } from "./powertools/metrics";
export { METRICS_NAMESPACE, SERVICE_NAME } from "./powertools/service";
export { tracer } from "./powertools/tracer";
