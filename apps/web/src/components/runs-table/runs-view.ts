import { groupByInput, listRunsInput } from "@hindcast/api/schemas";
import { type MetricCatalog, metricCatalog, metricDirection } from "@hindcast/contracts";
import type { z } from "zod";
import { type ColumnChoice, defaultColumnChoice, maxMetricColumns, sameColumnChoice } from "./columns";

export type ListRunsQuery = Omit<z.output<typeof listRunsInput>, "cursor">;
export type RunsSort = Pick<ListRunsQuery["sort"], "by" | "key" | "stat" | "direction">;

/**
 * What the runs page shows, as its URL holds it. Filters stay as typed (not
 * yet validated) so a bad value from a shared link is shown next to its field.
 */
export interface RunsView {
  status: string[];
  tags: string[];
  search: string;
  experiment: string;
  /** Creation dates as YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  /** Param equality filters: [dotted key, value as typed]. */
  params: [string, string][];
  /** Archived runs: hidden (the default), shown with the rest, or the only ones shown. */
  archived: ArchivedChoice;
  /** What the runs are grouped by, as typed ("param:model.kind", "tag", "experiment", "runGroup"); "" for a plain list. */
  groupBy: string;
  /** One group shown alone: its value as JSON ("" for every group). */
  group: string;
  sort: RunsSort;
  /** The added columns, when the link names them; otherwise the user's last choice is shown. */
  columns?: ColumnChoice;
}

export const archivedChoices = ["hide", "include", "only"] as const;
export type ArchivedChoice = (typeof archivedChoices)[number];

/** Form fields a view's problems are shown next to. */
export type RunsViewField = "status" | "tags" | "search" | "experiment" | "from" | "to" | "params" | "sort" | "groupBy";

/** The URL's sort names; a headline metric's is its catalog key (or its older short name). */
const sortNames = {
  created: "createdAt",
  name: "name",
  status: "status",
  metric: "metric",
} as const satisfies Record<string, RunsSort["by"]>;
/** Short names of two headline sorts, from before every headline metric was sortable: links kept them. */
const headlineSortNames: Record<string, string> = { skill: "skill_vs_naive", best: "skill_vs_best" };
const stats = ["last", "min", "max"] as const;
const paramPrefix = "p.";
/** Repeated parameters, so that any metric or param key survives the URL. */
const columnNames = { metric: "mcol", param: "pcol", trend: "trend" } as const;

const headlineOf = (key: string | undefined, catalog: MetricCatalog) => catalog.headline.find((metric) => metric.key === key);

/** The direction a first click on a column sorts by: newest, A to Z, best metric first. */
export function firstDirection(by: RunsSort["by"], key?: string, catalog: MetricCatalog = metricCatalog): RunsSort["direction"] {
  if (by === "createdAt") return "desc";
  if (by === "headline") return headlineOf(key, catalog)?.direction === "lower" ? "asc" : "desc";
  if (by === "metric") return key && metricDirection(key, catalog) === "lower" ? "asc" : "desc";
  return "asc";
}

const defaultSort: RunsSort = { by: "createdAt", stat: "last", direction: "desc" };

const commaList = (text: string | null) =>
  (text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

function columnsFromSearch(search: URLSearchParams): ColumnChoice | undefined {
  if (!Object.values(columnNames).some((name) => search.has(name))) return undefined;
  return {
    metrics: search.getAll(columnNames.metric).filter(Boolean).slice(0, maxMetricColumns),
    params: search.getAll(columnNames.param).filter(Boolean),
    trend: search.get(columnNames.trend) || undefined,
  };
}

function appendColumns(search: URLSearchParams, columns: ColumnChoice | undefined) {
  if (!columns || sameColumnChoice(columns, defaultColumnChoice)) return;
  for (const key of columns.metrics) search.append(columnNames.metric, key);
  for (const key of columns.params) search.append(columnNames.param, key);
  if (columns.trend) search.set(columnNames.trend, columns.trend);
  // No added column at all still differs from the default: an empty mcol says so.
  if (!columns.metrics.length && !columns.params.length && !columns.trend) search.set(columnNames.metric, "");
}

/** The sort a URL's `sort` (and `metric`) name; newest first when it names none this catalog has. */
function sortFromSearch(search: URLSearchParams, catalog: MetricCatalog): Pick<RunsSort, "by" | "key"> {
  const name = search.get("sort") ?? "";
  if (Object.hasOwn(sortNames, name)) {
    const by = sortNames[name as keyof typeof sortNames];
    return { by, key: by === "metric" ? (search.get("metric") ?? undefined) : undefined };
  }
  const headline = headlineOf(Object.hasOwn(headlineSortNames, name) ? headlineSortNames[name] : name, catalog);
  return headline ? { by: "headline", key: headline.key } : { by: "createdAt" };
}

/** The URL's name of a sort (see sortFromSearch). */
function sortName(sort: RunsSort): string {
  if (sort.by !== "headline") return Object.entries(sortNames).find(([, by]) => by === sort.by)?.[0] ?? "";
  return Object.entries(headlineSortNames).find(([, key]) => key === sort.key)?.[0] ?? sort.key ?? "";
}

export function viewFromSearch(search: URLSearchParams, catalog: MetricCatalog = metricCatalog): RunsView {
  const { by, key } = sortFromSearch(search, catalog);
  const stat = stats.find((s) => s === search.get("stat")) ?? "last";
  const dir = search.get("dir");
  return {
    status: commaList(search.get("status")),
    tags: commaList(search.get("tags")),
    search: search.get("q") ?? "",
    experiment: search.get("experiment") ?? "",
    from: search.get("from") ?? "",
    to: search.get("to") ?? "",
    params: [...search.entries()]
      .filter(([name]) => name.startsWith(paramPrefix))
      .map(([name, value]) => [name.slice(paramPrefix.length), value]),
    archived: archivedChoices.find((choice) => choice === search.get("archived")) ?? "hide",
    groupBy: search.get("groupBy") ?? "",
    group: search.get("group") ?? "",
    sort: { by, key, stat, direction: dir === "asc" || dir === "desc" ? dir : firstDirection(by, key, catalog) },
    columns: columnsFromSearch(search),
  };
}

/** The query string of a view; defaults are left out so plain links stay plain. */
export function searchFromView(view: RunsView): string {
  const search = new URLSearchParams();
  const set = (name: string, value: string) => value && search.set(name, value);
  set("status", view.status.join(","));
  set("tags", view.tags.join(","));
  set("q", view.search);
  set("experiment", view.experiment);
  set("from", view.from);
  set("to", view.to);
  for (const [key, value] of view.params) search.append(`${paramPrefix}${key}`, value);
  if (view.archived !== "hide") set("archived", view.archived);
  set("groupBy", view.groupBy);
  set("group", view.group);
  const { sort } = view;
  if (sort.by !== defaultSort.by || sort.direction !== defaultSort.direction) {
    set("sort", sortName(sort));
    if (sort.by === "metric") {
      set("metric", sort.key ?? "");
      set("stat", sort.stat);
    }
    set("dir", sort.direction);
  }
  appendColumns(search, view.columns);
  return search.toString();
}

/** A param filter value as the API compares it: numbers and booleans typed, anything else text. */
function paramValue(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/** "model.kind=linear, train.epochs=2" as pairs, or what is wrong with it. */
export function parseParamFilters(text: string): { pairs: [string, string][] } | { error: string } {
  const pairs: [string, string][] = [];
  for (const part of commaList(text)) {
    const match = part.match(/^([\w.]+)\s*=\s*(.+)$/);
    if (!match) return { error: `"${part}": use key=value, e.g. model.kind=linear` };
    pairs.push([match[1] as string, (match[2] as string).trim()]);
  }
  return { pairs };
}

export const paramFiltersText = (pairs: [string, string][]) => pairs.map(([key, value]) => `${key}=${value}`).join(", ");

/** Midnight (local time) starting the day, or undefined when the text is no real YYYY-MM-DD date. */
function localDay(text: string, addDays = 0): Date | undefined {
  const match = text.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day + addDays);
  const real = new Date(year, month, day);
  return real.getFullYear() === year && real.getMonth() === month && real.getDate() === day ? date : undefined;
}

const inputFields: Record<string, RunsViewField> = { createdFrom: "from", createdTo: "to", group: "groupBy" };

/** The value of a view's one group, or undefined when its JSON does not read. */
function groupValue(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * The training.list input of a view (checked with the API's own schema), or
 * every problem of it by form field.
 */
export function listQueryFromView(
  view: RunsView,
  options: { metricKeys: string[]; limit: number },
): { query: ListRunsQuery; issues?: undefined } | { query?: undefined; issues: Partial<Record<RunsViewField, string>> } {
  const issues: Partial<Record<RunsViewField, string>> = {};
  const add = (field: RunsViewField, message: string) => {
    issues[field] = issues[field] ? `${issues[field]}; ${message}` : message;
  };
  const createdFrom = view.from ? localDay(view.from) : undefined;
  const createdTo = view.to ? localDay(view.to, 1) : undefined;
  if (view.from && !createdFrom) add("from", `"${view.from}": use a real date as YYYY-MM-DD`);
  if (view.to && !createdTo) add("to", `"${view.to}": use a real date as YYYY-MM-DD`);
  if (createdFrom && createdTo && createdTo <= createdFrom) add("to", "must not be before the from date");
  const grouped = view.groupBy ? groupByInput.safeParse(view.groupBy) : undefined;
  if (grouped?.error) add("groupBy", `"${view.groupBy}": ${grouped.error.issues[0]?.message}`);
  const group = grouped?.success && view.group ? groupValue(view.group) : undefined;
  if (grouped?.success && view.group && !group) add("groupBy", "the group in this link does not read; show every group");
  const raw = {
    status: view.status.length ? view.status : undefined,
    tags: view.tags.length ? view.tags : undefined,
    search: view.search || undefined,
    experiment: view.experiment || undefined,
    createdFrom,
    createdTo,
    params: view.params.length ? Object.fromEntries(view.params.map(([key, value]) => [key, paramValue(value)])) : undefined,
    archived: view.archived,
    group: group && { by: view.groupBy, value: group.value },
    sort: view.sort,
    metricKeys: options.metricKeys,
    limit: options.limit,
  };
  const parsed = listRunsInput.safeParse(raw);
  for (const issue of parsed.error?.issues ?? []) {
    const [first, item] = issue.path;
    const field = inputFields[String(first)] ?? (String(first) as RunsViewField);
    const list = (raw as Record<string, unknown>)[String(first)];
    add(field, typeof item === "number" && Array.isArray(list) ? `"${list[item]}": ${issue.message}` : issue.message);
  }
  if (!parsed.success || Object.keys(issues).length) return { issues };
  const { cursor: _, ...query } = parsed.data;
  return { query };
}
