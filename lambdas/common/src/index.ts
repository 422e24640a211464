/** `@tradai/lambda-common`: what every TradAI Lambda shares. */
export * from "./alerts";
export * from "./clients";
export * from "./env";
export * from "./errors";
export * from "./events/scheduled";
export * from "./fits";
export * from "./handler";
export * from "./idempotency";
export * from "./metrics-publish";
export * from "./mlflow/index";
export * from "./powertools";
export * from "./sqs-batch";
export * from "./validation";
