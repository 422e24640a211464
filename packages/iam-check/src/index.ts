export * from "./check";
export * from "./derive";
export * from "./plan-model";
export * from "./report";
export * from "./simulate";
