import { systemMetricPrefix } from "@hindcast/contracts";
import type { GpuSample, SystemSample } from "./system-sampler";

/** Keys of the system metrics a training records next to its loss (the run page charts every `system/` key in its own group). */
export const systemMetricKeys = {
  cpuPercent: `${systemMetricPrefix}cpu_percent`,
  rssMb: `${systemMetricPrefix}rss_mb`,
  tensorMb: `${systemMetricPrefix}tensor_mb`,
  gpuUtilizationPercent: `${systemMetricPrefix}gpu_utilization_percent`,
  gpuMemoryMb: `${systemMetricPrefix}gpu_memory_mb`,
} as const;

/** The engine's MetricPointRecord (packages/engine/src/ports.ts), by shape: observability does not import the engine. */
export interface SystemMetricPoint {
  key: string;
  step: number;
  value: number;
  wallTime: Date;
}

export interface SystemPointsOptions {
  step: number;
  /** Bytes TF.js holds in tensors (`tf.memory().numBytes`), when the caller has TF.js. */
  tensorBytes?: number;
  wallTime?: Date;
}

const mb = 1024 * 1024;
const sum = (gpus: GpuSample[], pick: (gpu: GpuSample) => number) => gpus.reduce((total, gpu) => total + pick(gpu), 0);

/**
 * A sample as metric points at one step. Several GPUs make one series each
 * for utilisation (their mean) and memory (their sum), so a chart reads the
 * machine as a whole; the Workers page shows each GPU.
 */
export function systemMetricPoints(sample: SystemSample, options: SystemPointsOptions): SystemMetricPoint[] {
  const values: [string, number][] = [
    [systemMetricKeys.cpuPercent, sample.cpuPercent],
    [systemMetricKeys.rssMb, sample.rssMb],
  ];
  if (options.tensorBytes !== undefined) values.push([systemMetricKeys.tensorMb, options.tensorBytes / mb]);
  if (sample.gpus?.length) {
    values.push([systemMetricKeys.gpuUtilizationPercent, sum(sample.gpus, (gpu) => gpu.utilizationPercent) / sample.gpus.length]);
    values.push([systemMetricKeys.gpuMemoryMb, sum(sample.gpus, (gpu) => gpu.memoryUsedMb)]);
  }
  const wallTime = options.wallTime ?? new Date();
  return values.filter(([, value]) => Number.isFinite(value)).map(([key, value]) => ({ key, step: options.step, value, wallTime }));
}
