import type { GpuSample, SystemSample } from "./system-sampler";

/** What a worker's heartbeat stores about its machine: the shape of @hindcast/db's workerLoadSchema. */
export interface WorkerLoadReport {
  cpuPercent: number;
  loadAverage: [number, number, number];
  memoryUsedMb: number;
  memoryTotalMb: number;
  gpus?: GpuSample[];
  trainingsRunning: number;
}

/** The heartbeat's load from a sample of the worker's process: the machine's CPU (its trainings run in child processes), memory and GPUs. */
export function workerLoad(sample: SystemSample, trainingsRunning: number): WorkerLoadReport {
  return {
    cpuPercent: sample.machineCpuPercent,
    loadAverage: sample.loadAverage,
    memoryUsedMb: sample.memoryUsedMb,
    memoryTotalMb: sample.memoryTotalMb,
    ...(sample.gpus ? { gpus: sample.gpus } : {}),
    trainingsRunning,
  };
}
