import { metricCatalog, type RunStatus, runStatuses, runStatusSchema } from "@hindcast/contracts";
import { CliError } from "../errors.mjs";
import { listSortNames, listSorts } from "../list-sorts.mjs";
import { runsListTable } from "../result-tables";
import { print, withClient } from "../session";

/** The most runs one request may ask for (training.list's limit). */
const pageLimit = 500;

export interface ListOptions {
  status?: string[];
  tag?: string[];
  limit: string;
  all: boolean;
  /** A name of listSorts, or a headline metric's key. */
  sort?: string;
  best: boolean;
  json: boolean;
}

/** --status values in any case, as run statuses. */
export function statusesOf(typed: string[] | undefined): RunStatus[] | undefined {
  return typed?.map((status) => {
    const parsed = runStatusSchema.safeParse(status.toUpperCase());
    if (!parsed.success) throw new CliError(`--status ${status}: use one of ${runStatuses.map((s) => s.toLowerCase()).join(", ")}`);
    return parsed.data;
  });
}

/** The API sort of a --sort name: a headline metric sorts best first (larger first when no value is better). */
export function sortOf(name: string) {
  if (Object.hasOwn(listSorts, name)) return listSorts[name as keyof typeof listSorts];
  const metric = metricCatalog.headline.find((m) => m.key === name);
  if (!metric) throw new CliError(`--sort ${name}: use one of ${listSortNames(metricCatalog.headline).join(", ")}`);
  return { by: "headline" as const, key: metric.key, direction: metric.direction === "lower" ? ("asc" as const) : ("desc" as const) };
}

/**
 * `train list`: one page of runs (--limit), or with --all every run, page by
 * page through the API's cursor. The text says when --limit cut the list.
 */
export function listTrainings(serverOption: string | undefined, options: ListOptions): Promise<number> {
  const limit = options.all ? pageLimit : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > pageLimit)
    throw new CliError(`--limit ${options.limit}: use a whole number from 1 to ${pageLimit}, or --all`);
  const filters = { status: statusesOf(options.status), tags: options.tag };
  const sort = sortOf(options.best ? "vs-naive" : (options.sort ?? "created"));
  return withClient(serverOption, async (client) => {
    const runs: Awaited<ReturnType<typeof client.training.list.query>>["runs"] = [];
    let cursor: string | undefined;
    do {
      const page = await client.training.list.query({ ...filters, sort, limit, cursor });
      runs.push(...page.runs);
      cursor = page.nextCursor ?? undefined;
    } while (options.all && cursor);
    const total = cursor && !options.json ? (await client.training.summary.query(filters)).total : runs.length;
    print(runs, options.json, () => {
      if (!runs.length) return "No runs.";
      const more =
        total > runs.length
          ? [`${runs.length} of ${total} runs; ${limit < pageLimit ? `--limit ${Math.min(total, pageLimit)} or ` : ""}--all for more`]
          : [];
      return [runsListTable(runs, metricCatalog, sort.by === "headline" ? sort.key : undefined), ...more].join("\n");
    });
  });
}
