/**
 * `@tradai/lambda-common/testing`: emulator fixtures for Lambda tests: tables, a topic probe, metric
 * read-back, trigger events and environment set-up.
 */
export * from "./env";
export * from "./events";
export * from "./malformed";
export * from "./metrics";
export * from "./model-deployments";
export * from "./recording-server";
export * from "./state";
export * from "./tables";
export * from "./topics";
