export { loadWorkerConfig, type WorkerConfig, workerConfigSchema } from "./config.js";
export { parallelPipeline } from "./fan-out.js";
export { startWorker, type WorkerHandle } from "./worker.js";
