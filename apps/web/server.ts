import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApiHandler } from "@hindcast/api";
import { artifactStoreConfig, openArtifactStore } from "@hindcast/artifact-store";
import type { NotificationHub } from "@hindcast/db";
import next from "next";
import type pg from "pg";
import { createWebMetrics, serveMetricsRoute } from "./metrics-route";

export const webDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = () => path.join(webDir, process.env.HINDCAST_WEB_DIST ?? ".next");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The app's sources and those of the workspace packages it bundles (packages/<name>/src). */
function newestSource(): number {
  const packagesDir = path.join(webDir, "../../packages");
  const packageSources = readdirSync(packagesDir)
    .map((name) => path.join(packagesDir, name, "src"))
    .filter((dir) => existsSync(dir));
  return Math.max(statSync(path.join(webDir, "next.config.ts")).mtimeMs, ...[path.join(webDir, "src"), ...packageSources].map(newestMtime));
}

/** Runs `next build` when there is no build, or the sources it bundles are newer than it. */
export function ensureWebBuild(log: (line: string) => void = console.log): void {
  const buildId = path.join(distDir(), "BUILD_ID");
  const sources = newestSource();
  if (existsSync(buildId) && statSync(buildId).mtimeMs > sources) return;
  log("Building the dashboard (next build)…");
  const nextBin = path.join(path.dirname(fileURLToPath(import.meta.resolve("next/package.json"))), "dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build", webDir], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
}

const wasmDir = path.join(path.dirname(fileURLToPath(import.meta.resolve("@tensorflow/tfjs-backend-wasm/package.json"))), "dist");
export const wasmRoute = "/tfjs-wasm/";

/** TF.js' wasm binaries for the browser preview, straight from the installed package (so they always match its JS). */
function serveWasm(req: IncomingMessage, res: ServerResponse): boolean {
  const name = (req.url ?? "").split("?")[0]?.slice(wasmRoute.length) ?? "";
  if (!(req.url ?? "").startsWith(wasmRoute)) return false;
  if (!/^tfjs-backend-wasm[\w-]*\.wasm$/.test(name)) {
    res.writeHead(404).end();
    return true;
  }
  res.writeHead(200, { "content-type": "application/wasm", "cache-control": "public, max-age=86400" });
  createReadStream(path.join(wasmDir, name))
    .on("error", () => res.end())
    .pipe(res);
  return true;
}

/** Next answers an address it cannot decode ("/runs/%ZZ") with a 500; it is the client's mistake. */
function hasMalformedEscape(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0] ?? "");
    return false;
  } catch {
    return true;
  }
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/**
 * One HTTP server for the dashboard: the API (tRPC with SSE subscriptions,
 * artifact downloads) answered by packages/api's handler, Prometheus'
 * /metrics by metrics-route.ts, every other path by Next. A custom server
 * keeps the database pool and the one LISTEN connection in this process
 * instead of inside Next's bundles.
 */
export async function startWebServer(
  pool: pg.Pool,
  options: { port?: number; host?: string; hub?: NotificationHub; dev?: boolean } = {},
): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const app = next({ dev: options.dev ?? false, dir: webDir, hostname: host, port: options.port ?? 3000 });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const metrics = createWebMetrics(pool);
  const handleApi = createApiHandler(pool, options.hub, metrics, openArtifactStore(pool, artifactStoreConfig(process.env)));
  const server = createServer((req, res) => {
    if (serveWasm(req, res) || serveMetricsRoute(metrics, req, res, process.env.HINDCAST_METRICS_TOKEN)) return;
    if (hasMalformedEscape(req.url ?? "/")) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("Bad request: the address has a malformed %-escape");
      return;
    }
    void handleApi(req, res).then((handled) => (handled ? undefined : handleNext(req, res)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
