import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import { csvExportPaths, runsCsvPath } from "@hindcast/api/schemas";
import { unreachable } from "../client";
import type { Credentials } from "../credentials";
import { CliError } from "../errors.mjs";
import { resolveRunIds } from "../run-ids";
import { withClient } from "../session";
import { statusesOf } from "./list";

export interface ExportRunsOptions {
  all: boolean;
  status?: string[];
  tag?: string[];
  archived: "hide" | "only" | "include";
}

/** Streams a CSV download of the API to stdout as it arrives; a refusal (401, 404, a bad filter) is one line on stderr. */
async function download({ server, token }: Credentials, path: string): Promise<void> {
  const origin = server.replace(/\/api\/trpc$/, "");
  const response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } }).catch((error: unknown) => {
    throw unreachable(server, error);
  });
  if (response.status === 401)
    throw new CliError(`The server at ${origin} rejected the API token. Fix: hindcast login --token <a valid token>`);
  if (!response.ok || !response.body) throw new CliError((await response.text()) || `HTTP ${response.status}`);
  await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), process.stdout, { end: false });
}

/** `export runs`: the runs the filters match, as CSV: the table's usual columns, or with --all every field, param and metric. */
export function exportRuns(serverOption: string | undefined, options: ExportRunsOptions): Promise<number> {
  const input = {
    status: statusesOf(options.status),
    tags: options.tag,
    archived: options.archived,
    columns: options.all ? ("all" as const) : undefined,
  };
  return withClient(serverOption, (_client, credentials) => download(credentials, runsCsvPath(input)));
}

/** `export metrics <run>`: every point of the run's metric series (of --key only), full resolution, as CSV. */
export function exportMetrics(serverOption: string | undefined, typed: string, options: { key?: string[] }): Promise<number> {
  return withClient(serverOption, async (client, credentials) => {
    const [id] = (await resolveRunIds(client, [typed])) as [string];
    const keys = new URLSearchParams((options.key ?? []).map((key): [string, string] => ["key", key]));
    await download(credentials, `${csvExportPaths.metrics(id)}${keys.size ? `?${keys}` : ""}`);
  });
}

/** `export sweep <id>`: a sweep's trials with their searched values, objective and rung, as CSV. */
export function exportSweep(serverOption: string | undefined, id: string): Promise<number> {
  return withClient(serverOption, (_client, credentials) => download(credentials, csvExportPaths.sweep(id)));
}
