import type { RouterInputs } from "@hindcast/api";
import { groupKinds, groupParamPrefix, type MetricFormat, metricCatalog, metricEntry } from "@hindcast/contracts";
import { CliError } from "../errors.mjs";
import { print, withClient } from "../session";
import { formatMetric } from "../summary";
import { type Column, table } from "../table";
import { statusesOf } from "./list";

type GroupMetric = NonNullable<RouterInputs["groups"]["list"]["metrics"]>[number];

export interface GroupsOptions {
  by: string;
  metric?: string[];
  status?: string[];
  tag?: string[];
  json: boolean;
}

const metricStats = ["last", "min", "max"] as const;

/** --by as the API writes a grouping: a bare spec key ("model.kind") is a param. */
export const groupByOption = (by: string) =>
  (groupKinds as readonly string[]).includes(by) || by.startsWith(groupParamPrefix) ? by : `${groupParamPrefix}${by}`;

/** A --metric: a headline metric's key (skill_vs_best), or a tracked metric's, with its stat after a colon (val_loss:min; last by default). */
export function groupMetricOption(text: string): GroupMetric {
  if (metricCatalog.headline.some((metric) => metric.key === text)) return { source: "headline", key: text };
  const at = text.lastIndexOf(":");
  const stat = metricStats.find((s) => at > 0 && text.slice(at + 1) === s);
  const key = stat ? text.slice(0, at) : text;
  if (!key)
    throw new CliError(`--metric ${text}: name a headline metric (${metricCatalog.headline.map((m) => m.key).join(", ")}) or a metric key`);
  return { source: "metric", key, stat: stat ?? "last" };
}

const cell = (value: unknown) => (value === null ? "(none)" : typeof value === "string" ? value : JSON.stringify(value));

/** `groups`: runs grouped by a param, tag, experiment or run group, each group's count and each metric's mean ± std and best. */
export function listGroups(serverOption: string | undefined, options: GroupsOptions): Promise<number> {
  const groupBy = groupByOption(options.by);
  const metrics = options.metric?.length
    ? options.metric.map(groupMetricOption)
    : metricCatalog.headline.filter((m) => m.brief).map((m): GroupMetric => ({ source: "headline", key: m.key }));
  const filters = { status: statusesOf(options.status), tags: options.tag };
  return withClient(serverOption, async (client) => {
    const answer = await client.groups.list.query({ ...filters, groupBy, metrics });
    print({ groupBy, metrics, ...answer }, options.json, () => {
      if (!answer.groups.length) return "No runs.";
      const formats = metrics.map((m): MetricFormat => metricEntry(m.key)?.format ?? "number");
      const names = metrics.map((m) => (m.source === "headline" ? m.key : `${m.key}:${m.stat ?? "last"}`));
      const columns: Column[] = [
        { header: groupBy.startsWith(groupParamPrefix) ? groupBy.slice(groupParamPrefix.length) : groupBy, maxWidth: 40 },
        { header: "runs", align: "right" },
        ...names.flatMap((name): Column[] => [
          { header: `${name} mean ± std`, align: "right" },
          { header: "best", align: "right" },
        ]),
      ];
      const rows = answer.groups.map((group) => [
        cell(group.value),
        String(group.count),
        ...group.metrics.flatMap((stats, i) => {
          const format = formats[i] ?? "number";
          // A spread of a skill or share is in percentage points, unsigned.
          const spread = format === "skill" || format === "share" ? "share" : "number";
          const std = stats.std === null ? "" : ` ± ${formatMetric(stats.std, spread)}`;
          return [stats.count ? `${formatMetric(stats.mean, format)}${std}` : "-", formatMetric(stats.best, format)];
        }),
      ]);
      return [table(columns, rows), ...(answer.more ? ["(the largest groups; more matched)"] : [])].join("\n");
    });
  });
}
