import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ArtifactStorage } from "@hindcast/artifact-store";
import type { NotificationHub } from "@hindcast/db";
import type pg from "pg";
import { apiBasePath, createApiHandler } from "./http";

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The API alone over HTTP (no dashboard), for scripts and tests; the dashboard
 * serves the same handler. `artifacts` is the store downloads and results read
 * through; without it, the one this process's environment configures.
 */
export async function startApiServer(
  pool: pg.Pool,
  options: { port?: number; host?: string; hub?: NotificationHub; artifacts?: ArtifactStorage } = {},
): Promise<ApiServer> {
  const handle = createApiHandler(pool, options.hub, undefined, options.artifacts);
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the API lives under /api/trpc");
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${apiBasePath.replace(/\/$/, "")}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
