export * from "./app";
export * from "./aws";
export * from "./errors";
export * from "./lifecycle";
export * from "./logger";
export * from "./market-data";
export * from "./timeframes";
