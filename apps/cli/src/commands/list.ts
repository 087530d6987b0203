import { CliError } from "../errors.mjs";
import { listSorts } from "../list-sorts.mjs";
import { print, withClient } from "../session.js";
import { runResult, signedPercent } from "../summary.js";
import { table } from "../table.js";

/** The most runs one request may ask for (training.list's limit). */
const pageLimit = 500;

export interface ListOptions {
  status?: string[];
  tag?: string[];
  limit: string;
  all: boolean;
  sort?: keyof typeof listSorts;
  best: boolean;
  json: boolean;
}

/**
 * `train list`: one page of runs (--limit), or with --all every run, page by
 * page through the API's cursor. The text says when --limit cut the list.
 */
export function listTrainings(serverOption: string | undefined, options: ListOptions): Promise<number> {
  const limit = options.all ? pageLimit : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > pageLimit)
    throw new CliError(`--limit ${options.limit}: use a whole number from 1 to ${pageLimit}, or --all`);
  return withClient(serverOption, async (client) => {
    const filters = { status: options.status?.map((s) => s.toUpperCase()) as never, tags: options.tag };
    const sort = listSorts[options.best ? "vs-naive" : (options.sort ?? "created")];
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
      const rows = runs.map((r) => {
        const result = runResult(r.resultSummary);
        return [
          r.id,
          String(r.status),
          `${Number(r.percent).toFixed(0)}%`,
          signedPercent(result?.skillVsNaive),
          signedPercent(result?.skillVsBest),
          r.pipeline,
          r.name ?? "",
        ];
      });
      const columns = [
        { header: "id" },
        { header: "status" },
        { header: "done", align: "right" },
        { header: "vs naive", align: "right" },
        { header: "vs best", align: "right" },
        { header: "pipeline" },
        { header: "name" },
      ] as const;
      const more =
        total > runs.length
          ? [`${runs.length} of ${total} runs; ${limit < pageLimit ? `--limit ${Math.min(total, pageLimit)} or ` : ""}--all for more`]
          : [];
      return [table(columns, rows), ...more].join("\n");
    });
  });
}
