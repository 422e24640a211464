export * from "./core/platform";
