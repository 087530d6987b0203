import { enqueueRun } from "@hindcast/db";
import { dbTest, seattleData } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { storeGoneArtifact, storeJsonArtifact } from "./stored-artifact";

let pool: pg.Pool;
let viewer: ReturnType<typeof createCaller>;
const spec = { data: seattleData };

dbTest.beforeAll(({ pool: migrated }) => {
  pool = migrated;
  viewer = createCaller({ pool, user: { id: "00000000-0000-4000-8000-000000000001", email: "viewer@example.com", role: "VIEWER" } });
});

/** A run whose results.json artifact holds `content` (or whose bytes are gone from the store, for undefined). */
async function runWithResults(content: unknown): Promise<string> {
  const id = await enqueueRun(pool, { spec, pipeline: "retrodiction" });
  if (content === undefined) await storeGoneArtifact(pool, id);
  else await storeJsonArtifact(pool, id, content);
  return id;
}

const window = (index: number, startDate: string, endDate: string) => ({
  index,
  startRow: 100 + index,
  endRow: 130 + index,
  startDate,
  endDate,
});

describe("compare.windows", () => {
  it("gives each run's scored windows in date order, in the order asked, and null for a run without readable results", async () => {
    const single = await runWithResults({
      windows: [
        { window: window(1, "2012-12-01", "2012-12-30"), report: {}, predictions: {} },
        { window: window(0, "2012-11-01", "2012-11-30"), report: {}, predictions: {} },
      ],
      overall: {},
    });
    // A parallel retrodiction's own file keeps only per-window metrics.
    const parallel = await runWithResults({
      windows: [{ window: window(0, "2012-12-01", "2012-12-30"), metrics: {} }],
      children: [],
    });
    const queued = await enqueueRun(pool, { spec, pipeline: "retrodiction" });
    const missingFile = await runWithResults(undefined);
    const otherShape = await runWithResults({ rows: [] });

    const answer = await viewer.compare.windows({ ids: [parallel, single, queued, missingFile, otherShape] });
    expect(answer).toEqual([
      { id: parallel, windows: [{ startDate: "2012-12-01", endDate: "2012-12-30" }] },
      {
        id: single,
        windows: [
          { startDate: "2012-11-01", endDate: "2012-11-30" },
          { startDate: "2012-12-01", endDate: "2012-12-30" },
        ],
      },
      { id: queued, windows: null },
      { id: missingFile, windows: null },
      { id: otherShape, windows: null },
    ]);
  });

  it("refuses ids that are not run ids, naming the field", async () => {
    await expect(viewer.compare.windows({ ids: ["nope"] })).rejects.toThrow(/ids/);
    await expect(viewer.compare.windows({ ids: [] })).rejects.toThrow(/ids/);
  });
});
