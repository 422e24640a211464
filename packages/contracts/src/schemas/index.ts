/**
 * The message and record shapes shared by the Lambdas and the services.
 * This entry imports only `zod`, so the Fastify services can use it without the AWS SDK or Powertools.
 */
export * from "./backtest";
export * from "./common";
export * from "./job";
export * from "./limits";
export * from "./messages";
export * from "./retraining";
export * from "./strategy";
