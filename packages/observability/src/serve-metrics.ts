import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export const metricsPath = "/metrics";

/** Writes a scrape of `registry` as Prometheus' text format; a failed scrape answers 500 with no details. */
export async function answerMetrics(registry: Registry, res: ServerResponse): Promise<void> {
  try {
    const body = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType }).end(body);
  } catch {
    res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("The metrics could not be collected");
  }
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** A small HTTP server answering GET /metrics from `registry` (everything else 404), for a process with no other server (a worker). */
export async function serveMetrics(registry: Registry, options: { port?: number; host?: string } = {}): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && (req.url ?? "").split("?")[0] === metricsPath) void answerMetrics(registry, res);
    else res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`Not found: metrics are at ${metricsPath}`);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${metricsPath}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
