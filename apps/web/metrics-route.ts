import { timingSafeEqual } from "node:crypto";
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

/** Whether `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Answers GET /metrics (Prometheus' text format); false for any other request.
 * With `token` (HINDCAST_METRICS_TOKEN) a scrape must send it as a bearer token;
 * without, the counts are open, as Prometheus endpoints usually are.
 */
export function serveMetricsRoute(metrics: ServerMetrics, req: IncomingMessage, res: ServerResponse, token?: string): boolean {
  if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== metricsPath) return false;
  if (token && !bearerMatches(req.headers.authorization, token)) {
    res
      .writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" })
      .end("Send the scrape token: Authorization: Bearer <HINDCAST_METRICS_TOKEN>");
    return true;
  }
  void answerMetrics(metrics.registry, res);
  return true;
}
