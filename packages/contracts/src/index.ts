export * from "./errors";
export * from "./metric-catalog";
export * from "./pipelines";
export * from "./results";
export * from "./run-status";
