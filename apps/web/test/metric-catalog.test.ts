import { headlineMetric, type MetricCatalog, metricCatalog } from "@hindcast/contracts";
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { compareTable, runsListTable } from "../../cli/src/result-tables";
import { type Comparison, headlineRows } from "../src/app/(dashboard)/compare/types";
import { columnTitle, defaultColumnChoice, type RunRow, runsColumns } from "../src/components/runs-table/columns";

/** One metric more in the catalog, and nothing else changed: it must show everywhere, lower being better. */
const smape = headlineMetric({
  key: "smape",
  label: "sMAPE (%)",
  short: "sMAPE",
  brief: true,
  direction: "lower",
  format: "number",
  path: ["overall", "smape"],
});
const catalog: MetricCatalog = { ...metricCatalog, headline: [...metricCatalog.headline, smape] };

/** Two finished runs as the API answers them; the second has the lower sMAPE but the lower skill. */
const summary = (smapeValue: number, skill: number) => ({
  overall: { rmse: 2, mae: 1.5, smape: smapeValue, skill: { rmseVsNaive: skill } },
  baselines: { naiveRmse: 2.5 },
});
const runs = [
  { id: "aaaaaaaa-0000-4000-8000-000000000001", name: "first", resultSummary: summary(12.5, 0.3) },
  { id: "bbbbbbbb-0000-4000-8000-000000000002", name: "second", resultSummary: summary(8.25, 0.1) },
].map((run) => ({
  ...run,
  status: "SUCCEEDED" as const,
  pipeline: "retrodiction",
  percent: 100,
  params: {},
  tags: [],
  metrics: {},
  startedAt: null,
  finishedAt: null,
  createdAt: new Date(0),
}));
const comparison = { runs, differing: {}, shared: {}, metrics: {} } as unknown as Comparison;

const rowOf = (text: string, label: string) => text.split("\n").find((line) => line.startsWith(label));

describe("a metric added to the catalog", () => {
  it("is a column of the runs table, its header saying lower is better", () => {
    expect(runsColumns(defaultColumnChoice).some((c) => c.header === "sMAPE")).toBe(false);
    const column = runsColumns(defaultColumnChoice, catalog).find((c) => c.id === "headline:smape");
    expect(column).toMatchObject({ header: "sMAPE", better: "lower", numeric: true });
    expect(columnTitle(column as NonNullable<typeof column>)).toBe("sMAPE: smaller values are better");
    const cells = runs.map((run) => renderToStaticMarkup(createElement(Fragment, null, column?.cell(run as unknown as RunRow, 0))));
    expect(cells.map((html) => html.replace(/<[^>]+>/g, ""))).toEqual(["12.5", "8.25"]);
  });

  it("is a row of Compare, whose best run is the one with the lower value", () => {
    expect(headlineRows(runs).some((row) => row.id === "headline:smape")).toBe(false);
    const row = headlineRows(runs, catalog).find((r) => r.id === "headline:smape");
    expect(row).toMatchObject({ label: "sMAPE (%)", direction: "lower", values: [12.5, 8.25] });
    expect([...(row?.best ?? [])]).toEqual([1]);
    // The skill beside it is better higher: there the first run is best.
    expect([...(headlineRows(runs, catalog).find((r) => r.id === "headline:skill_vs_naive")?.best ?? [])]).toEqual([0]);
  });

  it("is a column of `hindcast train list` and a row of `hindcast train compare`, saying lower is better", () => {
    const listed = runs as unknown as Parameters<typeof runsListTable>[0];
    expect(runsListTable(listed)).not.toContain("sMAPE");
    const list = runsListTable(listed, catalog).split("\n");
    expect(list[0]).toMatch(/\ssMAPE\s+pipeline\s+name$/);
    expect(list[1]).toMatch(/\s12\.50\s+retrodiction\s+first$/);
    expect(list[2]).toMatch(/\s8\.250\s+retrodiction\s+second$/);

    expect(compareTable(comparison)).not.toContain("sMAPE");
    const table = compareTable(comparison, catalog);
    expect(rowOf(table, "sMAPE (%)")?.split(/\s{2,}/)).toEqual(["sMAPE (%)", "all windows", "lower", "12.50", "8.250"]);
    expect(rowOf(table, "Skill vs naive (RMSE)")?.split(/\s{2,}/)).toEqual([
      "Skill vs naive (RMSE)",
      "all windows",
      "higher",
      "+30.0%",
      "+10.0%",
    ]);
  });
});
