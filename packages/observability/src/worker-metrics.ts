import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type CollectErrorHandler, queueJobsGauge, type ReadQueueDepth } from "./collected-gauges";

export interface WorkerMetricsOptions {
  readQueueDepth: ReadQueueDepth;
  /** A failed read at scrape time (the database is away): log it; its series are left out of that scrape. */
  onCollectError: CollectErrorHandler;
}

/** A worker's registry and the instruments its job loop updates. */
export interface WorkerMetrics {
  registry: Registry;
  /** inc() when a training starts, dec() when it ends (however it ends). */
  trainingsRunning: Gauge;
  /** inc(n) with the samples each batch trained; Prometheus' rate() gives samples/s over any window. */
  trainingSamples: Counter;
  /** set() with the engine's own samples/s of the latest progress snapshot (summed over the trainings running). */
  trainingSamplesPerSecond: Gauge;
  /** inc(n) with the points each metric flush wrote. */
  metricPointsWritten: Counter;
  /** observe(seconds) of each metric flush, or `const end = metricFlushDuration.startTimer(); ...; end()`. */
  metricFlushDuration: Histogram;
}

/** A registry of its own (never prom-client's global one), with Node's process metrics. */
export function createWorkerMetrics(options: WorkerMetricsOptions): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  queueJobsGauge(registry, options.readQueueDepth, options.onCollectError);
  const registers = [registry];
  return {
    registry,
    trainingsRunning: new Gauge({ name: "hindcast_trainings_running", help: "Trainings this worker runs now", registers }),
    trainingSamples: new Counter({ name: "hindcast_training_samples_total", help: "Samples trained by this worker", registers }),
    trainingSamplesPerSecond: new Gauge({
      name: "hindcast_training_samples_per_second",
      help: "Samples per second of this worker's trainings, as their latest progress reported it",
      registers,
    }),
    metricPointsWritten: new Counter({
      name: "hindcast_metric_points_written_total",
      help: "Metric points this worker wrote to the database",
      registers,
    }),
    metricFlushDuration: new Histogram({
      name: "hindcast_metric_flush_duration_seconds",
      help: "Time of one metric flush (a COPY of buffered points) to the database",
      registers,
    }),
  };
}
