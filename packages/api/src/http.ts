import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ArtifactCorruptError, type ArtifactStat, type ArtifactStorage } from "@hindcast/artifact-store";
import { findArtifact, logger, type NotificationHub } from "@hindcast/db";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type pg from "pg";
import { z } from "zod";
import { artifactStoreOf, provideArtifactStore } from "./artifacts";
import { bodyLimits, bodyTooLargeMessage, uploadProcedure } from "./body-limits";
import { createContext } from "./context";
import { clientError } from "./errors";
import { serveExport } from "./exports";
import { LoginThrottle, LoginThrottledError } from "./login-throttle";
import { appRouter } from "./root";
import { sessionCookie } from "./session";

export const apiBasePath = "/api/trpc/";
const artifactRoute = /^\/api\/artifacts\/([^/]*)$/;
const artifactId = z.uuid();

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return headers;
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(message);
}

/** An error thrown before an answer started, as its status and one line of text. */
function failWith(res: ServerResponse, error: unknown): void {
  const answer = clientError(error);
  fail(res, getHTTPStatusCodeFromError(answer), answer.message);
}

/** Behind a TLS-terminating proxy the socket is plain: the proxy says so in X-Forwarded-Proto. */
function servedOverHttps(req: IncomingMessage): boolean {
  return ("encrypted" in req.socket && Boolean(req.socket.encrypted)) || req.headers["x-forwarded-proto"] === "https";
}

/** Where the API reports its calls (@hindcast/observability's createServerMetrics fits it). */
export interface ApiMetrics {
  observeRequest(procedure: string, status: number, seconds: number): void;
  sseClientOpened(): void;
  sseClientClosed(): void;
}

// At run time `_def.procedures` is flat, keyed by the dotted path a URL names; its type is the nested router record.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;

/**
 * Times a tRPC call until its answer is sent or its connection drops, once per
 * procedure of a batch (a name no procedure has reads "unknown", so a caller
 * cannot mint label values); a subscription is an SSE stream, counted while open instead.
 */
function measureCall(metrics: ApiMetrics, procedurePath: string, res: ServerResponse): void {
  const names = procedurePath.split(",").map((name) => (Object.hasOwn(procedures, name) ? name : "unknown"));
  if (names.length === 1 && procedures[names[0] ?? ""]?._def.type === "subscription") {
    metrics.sseClientOpened();
    res.once("close", () => metrics.sseClientClosed());
    return;
  }
  const started = process.hrtime.bigint();
  res.once("close", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const name of new Set(names)) metrics.observeRequest(name, res.statusCode, seconds);
  });
}

/**
 * The API's HTTP surface: tRPC (queries, mutations, SSE subscriptions) under
 * /api/trpc, artifact downloads under /api/artifacts/<id> and CSV exports
 * under /api/exports (exports.ts). Returns false
 * for any other path, so a host server (the dashboard) can answer it.
 */
export function createApiHandler(pool: pg.Pool, hub?: NotificationHub, metrics?: ApiMetrics, artifacts?: ArtifactStorage) {
  // Also what in-process callers on this pool read through; without it, the store this process's environment configures.
  if (artifacts) provideArtifactStore(pool, artifacts);
  const loginThrottle = new LoginThrottle();
  // Bodies are read lazily, after the procedure's role check, and cut off at
  // the limit while they stream in: an anonymous or oversized POST costs no memory.
  const trpcWithLimit = (maxBodySize: number) =>
    createHTTPHandler({
      router: appRouter,
      basePath: apiBasePath,
      maxBodySize,
      createContext: ({ req, res }) =>
        createContext(pool, toHeaders(req.headers), {
          hub,
          loginThrottle,
          clientAddress: req.socket.remoteAddress ?? "unknown",
          setSessionCookie: (token, maxAge) => res.appendHeader("set-cookie", sessionCookie(token, maxAge, servedOverHttps(req))),
        }),
      responseMeta: ({ errors }) => {
        const retryAfter = errors.map((e) => e.cause).find((cause) => cause instanceof LoginThrottledError)?.retryAfterSeconds;
        return retryAfter ? { headers: { "retry-after": String(retryAfter) } } : {};
      },
    });
  const trpc = trpcWithLimit(bodyLimits.call);
  const trpcUpload = trpcWithLimit(bodyLimits.upload);

  async function downloadArtifact(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const ctx = await createContext(pool, toHeaders(req.headers));
    if (!ctx.user) return fail(res, 401, "Sign in or send an API token (Authorization: Bearer hc_...)");
    const artifact = await findArtifact(pool, id);
    if (!artifact) return fail(res, 404, `No artifact ${id}`);
    const store = artifactStoreOf(pool);
    let found: ArtifactStat | undefined;
    try {
      found = await store.stat(artifact.uri);
    } catch (error) {
      // The log says why (it names the store); the client hears only that the file cannot be had.
      logger.warn({ err: error, artifactId: id }, "artifact store cannot be reached for a download");
      return fail(res, 410, `The file of artifact ${artifact.name} cannot be reached from this server's artifact store`);
    }
    if (!found) return fail(res, 410, `The file of artifact ${artifact.name} is gone from the artifact store`);
    const sha256 = found.sha256 ?? artifact.sha256;
    const etag = sha256 ? `"${sha256}"` : undefined;
    if (etag && req.headers["if-none-match"] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, {
      "content-type": artifact.contentType ?? "application/octet-stream",
      "content-length": found.sizeBytes,
      "content-disposition": `attachment; filename="${artifact.name.replaceAll("/", "_").replaceAll('"', "")}"`,
      ...(etag ? { etag } : {}),
    });
    try {
      await pipeline(Readable.from(store.read(artifact.uri)), res);
    } catch (error) {
      // Headers are out: the answer is cut short (the client sees a broken download, never bad bytes passed as good).
      if (error instanceof ArtifactCorruptError) logger.error({ err: error, artifactId: id }, "corrupt artifact refused mid-download");
      else logger.debug({ err: error, artifactId: id }, "artifact download cut short");
      res.destroy();
    }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith(apiBasePath)) {
      if (metrics) measureCall(metrics, path.slice(apiBasePath.length), res);
      (path === `${apiBasePath}${uploadProcedure}` ? trpcUpload : trpc)(req, res);
      return true;
    }
    // Every other route of the host server (downloads, pages) passes here first and reads no body.
    if (Number(req.headers["content-length"] ?? 0) > bodyLimits.call || req.headers["transfer-encoding"]) {
      res.setHeader("connection", "close");
      fail(res, 413, bodyTooLargeMessage);
      return true;
    }
    const artifact = path.match(artifactRoute);
    if (artifact && req.method === "GET") {
      const id = artifactId.safeParse(artifact[1]);
      if (!id.success) fail(res, 404, "No such artifact: an artifact id is a UUID");
      else await downloadArtifact(req, res, id.data).catch((error: unknown) => failWith(res, error));
      return true;
    }
    return serveExport(pool, req, res, toHeaders(req.headers)).catch((error: unknown) => {
      failWith(res, error);
      return true;
    });
  };
}
