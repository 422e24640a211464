export * from "./file-lock";
export * from "./mlflow";
export * from "./moto";
export * from "./process";
export * from "./python-env";
export * from "./tools";
