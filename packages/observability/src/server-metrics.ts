import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type CollectErrorHandler, collectedGauge, queueJobsGauge, type ReadQueueDepth } from "./collected-gauges";

export interface ServerMetricsOptions {
  readQueueDepth: ReadQueueDepth;
  /** Runs per status: `() => runsByStatus(pool)` of @hindcast/db. */
  readRunsByStatus: () => Promise<readonly { status: string; runs: number }[]>;
  /** A failed read at scrape time (the database is away): log it; its series are left out of that scrape. */
  onCollectError: CollectErrorHandler;
}

/** The web/API server's registry and what the API's HTTP handler reports into it (it fits @hindcast/api's ApiMetrics). */
export interface ServerMetrics {
  registry: Registry;
  observeRequest(procedure: string, status: number, seconds: number): void;
  sseClientOpened(): void;
  sseClientClosed(): void;
}

/** A registry of its own (never prom-client's global one), so a process or a test may hold several. */
export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  queueJobsGauge(registry, options.readQueueDepth, options.onCollectError);
  collectedGauge(registry, {
    name: "hindcast_runs",
    help: "Runs by status",
    label: "status",
    read: async () => (await options.readRunsByStatus()).map((row) => [row.status, row.runs]),
    onError: options.onCollectError,
  });
  const sseClients = new Gauge({
    name: "hindcast_sse_clients",
    help: "Open SSE subscriptions (live run and metric streams)",
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: "hindcast_http_request_duration_seconds",
    help: "Time to answer an API call (tRPC queries and mutations; SSE streams are counted by hindcast_sse_clients), by procedure and HTTP status",
    labelNames: ["procedure", "status"],
    registers: [registry],
  });
  return {
    registry,
    observeRequest: (procedure, status, seconds) => requestDuration.observe({ procedure, status: String(status) }, seconds),
    sseClientOpened: () => sseClients.inc(),
    sseClientClosed: () => sseClients.dec(),
  };
}
