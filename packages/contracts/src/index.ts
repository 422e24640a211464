/**
 * `@tradai/contracts`: what crosses a package boundary, defined once. Zod and plain data only (no
 * Pulumi, no AWS SDK), so the Lambdas, the services, the layers, the CLI and the policy pack all load it.
 */
export * from "./config-error";
export * from "./env/fields";
export * from "./env/lambdas";
export * from "./env/mlflow";
export * from "./env/services";
export * from "./env/strategy-service";
export * from "./layer-outputs";
export * from "./platform";
export * from "./schemas/index";
export * from "./tags";
