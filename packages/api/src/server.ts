import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotificationHub } from "@hindcast/db";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import type pg from "pg";
import { createContext } from "./context.js";
import { appRouter } from "./root.js";

export const apiBasePath = "/api/trpc/";

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return headers;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The tRPC API over HTTP (the standalone adapter) at /api/trpc, for the CLI
 * and scripts; the dashboard mounts the same router in its own route.
 */
export async function startApiServer(
  pool: pg.Pool,
  options: { port?: number; host?: string; hub?: NotificationHub } = {},
): Promise<ApiServer> {
  const server = createHTTPServer({
    router: appRouter,
    basePath: apiBasePath,
    createContext: ({ req }) => createContext(pool, toHeaders(req.headers), options.hub),
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${apiBasePath.replace(/\/$/, "")}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
