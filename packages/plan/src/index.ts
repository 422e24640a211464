/**
 * `@tradai/plan`: runs layer programs under Pulumi mocks and reads the result. The stack tests and the
 * CLI import it by name; `@tradai/plan/types` is the plan file's shape alone (no Pulumi).
 */
export * from "./plan";
export * from "./plan-types";
export * from "./plan-view";
export * from "./runtime";
export * from "./urn-baseline";
