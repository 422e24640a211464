/** `@tradai/lambda-common`: what every TradAI Lambda shares. */
export * from "./clients";
export * from "./env";
export * from "./errors";
export * from "./job-store";
export * from "./metrics-publish";
export * from "./mlflow/index";
export * from "./powertools";
export * from "./schemas/index";
export * from "./validation";
