export * from "./errors";
export * from "./group-by";
export * from "./metric-catalog";
export * from "./pipelines";
export * from "./progress";
export * from "./results";
export * from "./run-export";
export * from "./run-status";
