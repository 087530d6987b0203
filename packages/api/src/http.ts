import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { NotificationHub } from "@hindcast/db";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type pg from "pg";
import { artifactPath } from "./artifacts.js";
import { createContext } from "./context.js";
import { appRouter } from "./root.js";
import { sessionCookie } from "./session.js";

export const apiBasePath = "/api/trpc/";
const artifactRoute = /^\/api\/artifacts\/([0-9a-f-]{36})$/;

export function toHeaders(incoming: IncomingHttpHeaders): Headers {
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

/**
 * The API's HTTP surface: tRPC (queries, mutations, SSE subscriptions) under
 * /api/trpc and artifact downloads under /api/artifacts/<id>. Returns false
 * for any other path, so a host server (the dashboard) can answer it.
 */
export function createApiHandler(pool: pg.Pool, hub?: NotificationHub) {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: apiBasePath,
    createContext: ({ req, res }) =>
      createContext(pool, toHeaders(req.headers), hub, (token, maxAge) => res.appendHeader("set-cookie", sessionCookie(token, maxAge))),
  });

  async function downloadArtifact(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const ctx = await createContext(pool, toHeaders(req.headers));
    if (!ctx.user) return fail(res, 401, "Sign in or send an API token (Authorization: Bearer hc_...)");
    const { rows } = await pool.query<{ name: string; uri: string; contentType: string | null }>(
      `SELECT "name", "uri", "contentType" FROM "Artifact" WHERE "id" = $1`,
      [id],
    );
    const artifact = rows[0];
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
    createReadStream(file).pipe(res);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith(apiBasePath)) {
      trpc(req, res);
      return true;
    }
    const artifact = path.match(artifactRoute);
    if (artifact && req.method === "GET") {
      await downloadArtifact(req, res, artifact[1] as string).catch((error: Error) => fail(res, 500, error.message));
      return true;
    }
    return false;
  };
}
