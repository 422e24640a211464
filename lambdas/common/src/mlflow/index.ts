/** MLflow model registry access and the model-deployments record the model Lambdas share. */
export * from "./client";
export * from "./model-deployments";
export * from "./schemas";
