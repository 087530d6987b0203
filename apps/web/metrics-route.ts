import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, queueDepthByTask, runsByStatus } from "@hindcast/db";
import { answerMetrics, createServerMetrics, metricsPath, type ServerMetrics } from "@hindcast/observability";
import type pg from "pg";

/** The dashboard process' Prometheus registry: queue depth and runs by status read from `pool` at each scrape, API latency, SSE clients. */
export function createWebMetrics(pool: pg.Pool): ServerMetrics {
  return createServerMetrics({
    readQueueDepth: () => queueDepthByTask(pool),
    readRunsByStatus: () => runsByStatus(pool),
    onCollectError: (err, metric) => logger.warn({ err, metric }, "a /metrics read failed; its series are left out of this scrape"),
  });
}

/** Answers GET /metrics (Prometheus' text format); false for any other request. */
export function serveMetricsRoute(metrics: ServerMetrics, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== metricsPath) return false;
  void answerMetrics(metrics.registry, res);
  return true;
}
