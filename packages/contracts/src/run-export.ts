import { z } from "zod";
import { metricCatalog } from "./metric-catalog";

/** The fields of a run a CSV export of the runs table can have; each is also its column's header. */
export const runExportFields = [
  "id",
  "name",
  "status",
  "pipeline",
  "experiment",
  "tags",
  "created",
  "started",
  "finished",
  "duration_s",
  "progress_percent",
  "parent_id",
  "archived",
] as const;
export type RunExportField = (typeof runExportFields)[number];

export const summaryStats = ["last", "min", "max"] as const;
export type SummaryStat = (typeof summaryStats)[number];

/** One column of a runs export: a run field, a flattened spec param, a stat of a tracked metric, or a headline metric of the result. */
export type RunExportColumn =
  | { kind: "field"; field: RunExportField }
  | { kind: "param"; key: string }
  | { kind: "metric"; key: string; stat: SummaryStat }
  | { kind: "headline"; key: string };

/** A column as a URL or the CLI names it: a field's name, param:<key>, metric:<key>:<last|min|max> or headline:<catalog key>. */
export function runExportColumnId(column: RunExportColumn): string {
  switch (column.kind) {
    case "field":
      return column.field;
    case "metric":
      return `metric:${column.key}:${column.stat}`;
    default:
      return `${column.kind}:${column.key}`;
  }
}

const metricColumn = /^metric:(.{1,200}):(last|min|max)$/s;
const keyedColumn = /^(param|headline):(.{1,200})$/s;

/** A column's id (runExportColumnId) read back; undefined for an id no column has. */
function readColumnId(id: string): RunExportColumn | undefined {
  if ((runExportFields as readonly string[]).includes(id)) return { kind: "field", field: id as RunExportField };
  const metric = id.match(metricColumn);
  if (metric) return { kind: "metric", key: metric[1] as string, stat: metric[2] as SummaryStat };
  const keyed = id.match(keyedColumn);
  if (keyed?.[1] === "param") return { kind: "param", key: keyed[2] as string };
  if (keyed && metricCatalog.headline.some((m) => m.key === keyed[2])) return { kind: "headline", key: keyed[2] as string };
  return undefined;
}

/** A column's id read back; an id no column has is an issue naming the forms there are. */
export const runExportColumnSchema = z
  .string()
  .max(300)
  .superRefine((id, ctx) => {
    if (readColumnId(id)) return;
    ctx.addIssue({
      code: "custom",
      message: `"${id}" is no column: use ${runExportFields.join(", ")}, param:<key>, metric:<key>:<last|min|max> or headline:<${metricCatalog.headline.map((m) => m.key).join("|")}>`,
    });
  })
  // A zod union reports a failed transform as the whole union's; checked above, the id reads here.
  .transform((id) => readColumnId(id) as RunExportColumn);
