import { headlineMetric, type MetricCatalog, metricCatalog } from "@hindcast/contracts";
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { compareTable, runsListTable } from "../../cli/src/result-tables";
import { type Comparison, headlineRows } from "../src/app/(dashboard)/compare/types";
import { columnTitle, defaultColumnChoice, isSortedBy, type RunRow, runsColumns } from "../src/components/runs-table/columns";
import { firstDirection, listQueryFromView, searchFromView, viewFromSearch } from "../src/components/runs-table/runs-view";

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

  it("sorts the runs table, best first, its sort kept in the URL", () => {
    const column = runsColumns(defaultColumnChoice, catalog).find((c) => c.id === "headline:smape");
    expect(column?.sort).toEqual({ by: "headline", key: "smape", stat: "last" });
    expect(firstDirection("headline", "smape", catalog)).toBe("asc");
    const view = {
      ...viewFromSearch(new URLSearchParams(), catalog),
      sort: { by: "headline" as const, key: "smape", stat: "last" as const, direction: "asc" as const },
    };
    expect(searchFromView(view)).toBe("sort=smape&dir=asc");
    expect(viewFromSearch(new URLSearchParams("sort=smape"), catalog).sort).toEqual(view.sort);
    expect(isSortedBy(column as NonNullable<typeof column>, view.sort)).toBe(true);
    // The API's catalog lacks it: the sort field says so, naming the keys it has.
    expect(listQueryFromView(view, { metricKeys: [], limit: 50 }).issues?.sort).toMatch(/^use one of the headline metrics: rmse, /);
  });
});

describe("the runs page's sort in the URL", () => {
  it.each(metricCatalog.headline.map((metric) => [metric.key]))("round-trips a sort by %s, which the API accepts", (key) => {
    const sort = { by: "headline" as const, key, stat: "last" as const, direction: "asc" as const };
    const view = { ...viewFromSearch(new URLSearchParams()), sort };
    expect(viewFromSearch(new URLSearchParams(searchFromView(view))).sort).toEqual(sort);
    expect(listQueryFromView(view, { metricKeys: [], limit: 50 }).query?.sort).toEqual(sort);
    const [column] = runsColumns(defaultColumnChoice, {
      ...metricCatalog,
      headline: metricCatalog.headline.map((m) => ({ ...m, brief: m.key === key })),
    }).filter((c) => c.id.startsWith("headline:"));
    expect(column?.sort).toEqual({ by: "headline", key, stat: "last" });
  });

  it("keeps the skills' older names: old links open, and the URL still says skill and best", () => {
    for (const [name, key] of [
      ["skill", "skill_vs_naive"],
      ["best", "skill_vs_best"],
    ]) {
      const view = viewFromSearch(new URLSearchParams(`sort=${name}`));
      expect(view.sort).toEqual({ by: "headline", key, stat: "last", direction: "desc" });
      expect(searchFromView({ ...view, sort: { ...view.sort, direction: "asc" } })).toBe(`sort=${name}&dir=asc`);
    }
    for (const name of ["nope", "constructor", "__proto__", "headline"])
      expect(viewFromSearch(new URLSearchParams(`sort=${name}`)).sort.by).toBe("createdAt");
  });
});
