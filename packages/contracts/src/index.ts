export * from "./errors";
export * from "./metric-catalog";
export * from "./pipelines";
export * from "./progress";
export * from "./results";
export * from "./run-status";
