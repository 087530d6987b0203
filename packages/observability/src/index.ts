export type { CollectErrorHandler, ReadQueueDepth } from "./collected-gauges";
export {
  type SystemMetricPoint,
  type SystemPointsOptions,
  systemMetricKeys,
  systemMetricPoints,
} from "./metric-points";
export { answerMetrics, type MetricsServer, metricsPath, serveMetrics } from "./serve-metrics";
export { createServerMetrics, type ServerMetrics, type ServerMetricsOptions } from "./server-metrics";
export { type GpuSample, parseNvidiaSmi, type SystemSample, SystemSampler, type SystemSamplerOptions } from "./system-sampler";
export { type WorkerLoadReport, workerLoad } from "./worker-load";
export { createWorkerMetrics, type WorkerMetrics, type WorkerMetricsOptions } from "./worker-metrics";
