import { headlineMetric, isUserFacingError, type MetricCatalog, metricCatalog, type RunSummary } from "@hindcast/contracts";
import { listRuns, type RunSort } from "@hindcast/db";
import { seedRuns } from "@hindcast/db/runs/seed";
import { apiTest, type TestApi } from "@hindcast/test-support";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { headlineSortAliases } from "../src/schemas";
import { callProcedure } from "./fuzz/http-cases";

/** A headline metric only this test's catalog has: the API's own catalog does not know it. */
const smape = headlineMetric({
  key: "smape",
  label: "sMAPE (%)",
  short: "sMAPE",
  direction: "lower",
  format: "number",
  path: ["overall", "smape"],
});
const catalog: MetricCatalog = { ...metricCatalog, headline: [...metricCatalog.headline, smape] };

const tag = "headline-sort";
let api: TestApi;

/**
 * 30 runs: most with a result whose numbers tie often; some with none, some
 * with a verdict of null, one with text where a number belongs (it sorts as missing).
 */
const summaryOf = (n: number) => {
  if (n % 5 === 0) return undefined;
  if (n === 7) return { overall: { rmse: "x", smape: "x", skill: { rmseVsNaive: "x" } }, verdict: null };
  return {
    overall: {
      rmse: (n % 4) + 1,
      mae: (n % 3) / 2,
      mase: (n % 8) / 4,
      smape: (n % 6) * 2.5,
      directionalAccuracy: (n % 4) / 4,
      coverage95: 1 - (n % 5) / 20,
      skill: { rmseVsNaive: ((n % 3) - 1) / 10 },
    },
    verdict: n % 2 ? { best: "arima", bestLabel: "ARIMA(1,0,0)", skillVsBest: ((n % 7) - 3) / 10, beatsAll: n % 7 > 3 } : null,
  };
};

apiTest.beforeAll(async ({ api: served }) => {
  api = served;
  await seedRuns(
    api.pool,
    Array.from({ length: 30 }, (_, n) => ({
      pipeline: "retrodiction",
      status: "SUCCEEDED" as const,
      tags: [tag],
      resultSummary: summaryOf(n),
    })),
  );
});

interface Row {
  id: string;
  resultSummary: unknown;
}

/** Every run, fetched `limit` at a time through the cursor. */
async function allPages(page: (cursor: string | undefined) => Promise<{ runs: Row[]; nextCursor: string | null }>): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    rows.push(...next.runs);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** The order a headline sort must give: by the metric's value, missing ones last, ties by id, all in the sort's direction. */
function expectedOrder(rows: Row[], pick: (summary: RunSummary) => number | null, direction: "asc" | "desc"): string[] {
  const sign = direction === "asc" ? 1 : -1;
  const missing = sign * Number.POSITIVE_INFINITY;
  const value = (row: Row) => (row.resultSummary ? (pick(row.resultSummary as RunSummary) ?? missing) : missing);
  return [...rows].sort((a, b) => sign * (value(a) - value(b)) || sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((row) => row.id);
}

describe("sorting the runs list by a headline metric of the catalog", () => {
  it.each(metricCatalog.headline.flatMap((metric) => (["asc", "desc"] as const).map((direction) => [metric.key, direction] as const)))(
    "sorts by %s %s, missing values last, page by page",
    async (key, direction) => {
      const caller = createCaller({ pool: api.pool, user: api.users.viewer });
      const sort = { by: "headline", key, direction } as const;
      const rows = await allPages((cursor) => caller.training.list({ tags: [tag], sort, limit: 4, cursor }));
      expect(rows).toHaveLength(30);
      const metric = metricCatalog.headline.find((m) => m.key === key);
      expect(rows.map((row) => row.id)).toEqual(expectedOrder(rows, (metric as NonNullable<typeof metric>).pick, direction));
    },
  );

  it("keeps the older sort names as the catalog's skills", async () => {
    const caller = createCaller({ pool: api.pool, user: api.users.viewer });
    for (const [alias, key] of Object.entries(headlineSortAliases) as [keyof typeof headlineSortAliases, string][]) {
      expect(metricCatalog.headline.map((m) => m.key)).toContain(key);
      const byAlias = await caller.training.list({ tags: [tag], sort: { by: alias, direction: "desc" }, limit: 500 });
      const byKey = await caller.training.list({ tags: [tag], sort: { by: "headline", key, direction: "desc" }, limit: 500 });
      expect(byAlias.runs.map((run) => run.id)).toEqual(byKey.runs.map((run) => run.id));
    }
  });

  it("sorts by a metric added to the catalog it is given, page by page", async () => {
    const query = { tags: [tag], parentId: null, metricKeys: [], limit: 3 };
    for (const direction of ["asc", "desc"] as const) {
      const sort: RunSort = { by: "headline", key: "smape", stat: "last", direction };
      const rows = await allPages((cursor) => listRuns(api.pool, { ...query, sort, cursor }, catalog));
      expect(rows.map((row) => row.id)).toEqual(expectedOrder(rows, smape.pick, direction));
    }
    const unknown = await listRuns(api.pool, { ...query, sort: { by: "headline", key: "smape", stat: "last", direction: "asc" } }).catch(
      (error: unknown) => error,
    );
    expect(isUserFacingError(unknown) && unknown.path).toBe("sort.key");
  });

  it("answers a key the catalog has no headline metric for with a 400 naming sort.key and the keys there are", async () => {
    const headers = { authorization: `Bearer ${api.tokens.viewer}` };
    for (const sort of [{ by: "headline", key: "smape" }, { by: "headline" }, { by: "headline", key: "val_loss" }]) {
      const { status, body } = await callProcedure(api.server.url, "training.list", "query", { sort }, headers, 500);
      expect(status).toBe(400);
      expect(body).toContain(
        `"path":"sort.key","message":"use one of the headline metrics: ${metricCatalog.headline.map((m) => m.key).join(", ")}"`,
      );
    }
  });
});
