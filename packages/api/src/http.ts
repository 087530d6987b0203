import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { findArtifact, type NotificationHub } from "@hindcast/db";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type pg from "pg";
import { z } from "zod";
import { artifactPath } from "./artifacts";
import { bodyLimits, bodyTooLargeMessage, uploadProcedure } from "./body-limits";
import { createContext } from "./context";
import { clientError } from "./errors";
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

/** Behind a TLS-terminating proxy the socket is plain: the proxy says so in X-Forwarded-Proto. */
function servedOverHttps(req: IncomingMessage): boolean {
  return ("encrypted" in req.socket && Boolean(req.socket.encrypted)) || req.headers["x-forwarded-proto"] === "https";
}

/**
 * The API's HTTP surface: tRPC (queries, mutations, SSE subscriptions) under
 * /api/trpc and artifact downloads under /api/artifacts/<id>. Returns false
 * for any other path, so a host server (the dashboard) can answer it.
 */
export function createApiHandler(pool: pg.Pool, hub?: NotificationHub) {
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
    const file = artifactPath(artifact.uri);
    const size = file
      ? await stat(file).then(
          (s) => s.size,
          () => undefined,
        )
      : undefined;
    if (!file || size === undefined) return fail(res, 410, `The file of artifact ${artifact.name} is gone from the artifact store`);
    res.writeHead(200, {
      "content-type": artifact.contentType ?? "application/octet-stream",
      "content-length": size,
      "content-disposition": `attachment; filename="${artifact.name.replaceAll("/", "_").replaceAll('"', "")}"`,
    });
    // The file may vanish between stat and open; the answer is then cut short rather than the process brought down.
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith(apiBasePath)) {
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
      else
        await downloadArtifact(req, res, id.data).catch((error: unknown) => {
          const answer = clientError(error);
          fail(res, getHTTPStatusCodeFromError(answer), answer.message);
        });
      return true;
    }
    return false;
  };
}
