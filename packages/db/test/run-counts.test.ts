import { dbTest } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect } from "vitest";
import { countRuns, type RunFilters } from "../src/read/run-list";
import { archiveRuns, markRunsDeleted, purgeDeletedRuns } from "../src/runs/index";
import { forceRunState, seedRuns } from "../src/runs/seed";

let pool: pg.Pool;

dbTest.beforeAll(({ pool: scratch }) => {
  pool = scratch;
});

/** Every filter combination the maintained counts answer. */
const countable: RunFilters[] = (["hide", "only", "include"] as const).flatMap((archived) =>
  ([null, "any"] as const).flatMap((parentId) => [
    { parentId, archived },
    { parentId, archived, status: ["SUCCEEDED" as const, "FAILED" as const] },
  ]),
);

/** countRuns through the maintained counts, and the same read from the runs (a filter the counts are not kept by, matching every run). */
async function bothWays(filters: RunFilters) {
  return { maintained: await countRuns(pool, filters), scanned: await countRuns(pool, { ...filters, createdFrom: new Date(0) }) };
}

async function expectSameCounts(): Promise<void> {
  for (const filters of countable) {
    const { maintained, scanned } = await bothWays(filters);
    expect(maintained, JSON.stringify(filters)).toEqual(scanned);
  }
}

const summary = (skill: unknown, beatsAll: unknown) => ({ overall: { skill: { rmseVsNaive: skill } }, verdict: { beatsAll } });

describe("maintained run counts", () => {
  dbTest("agree with counting the runs through inserts, updates, archiving, deletion marks, purges and folding", async () => {
    const [parent] = await seedRuns(pool, [{ pipeline: "parallel-retrodiction", status: "RUNNING" }]);
    const ids = await seedRuns(pool, [
      { pipeline: "retrodiction", status: "SUCCEEDED", resultSummary: summary(0.2, true) },
      { pipeline: "retrodiction", status: "SUCCEEDED", resultSummary: summary(-0.1, false) },
      // Damaged or older results: a skill as text, a verdict that is no boolean, no verdict.
      { pipeline: "retrodiction", status: "SUCCEEDED", resultSummary: summary("0.3", "maybe") },
      { pipeline: "retrodiction", status: "SUCCEEDED", resultSummary: { overall: { skill: { rmseVsNaive: 0.4 } } } },
      { pipeline: "retrodiction", status: "FAILED" },
      { pipeline: "retrodiction", status: "QUEUED", parentId: parent },
      { pipeline: "retrodiction", status: "SUCCEEDED", parentId: parent, resultSummary: summary(0.5, true) },
    ]);
    await expectSameCounts();
    const [first, second, , , failed, child] = ids as [string, string, string, string, string, string];
    await forceRunState(pool, second, { resultSummary: summary(0.05, true) });
    await forceRunState(pool, child, { status: "CANCELLED" });
    await forceRunState(pool, first, { percent: 50 });
    await archiveRuns(pool, { ids: [first, failed] });
    await expectSameCounts();
    await markRunsDeleted(pool, { ids: [second] });
    await expectSameCounts();
    await purgeDeletedRuns(pool, async () => {});
    await expectSameCounts();
    expect((await countRuns(pool, { parentId: "any", archived: "include" })).total).toBe(7);

    // Over 5,000 rows of changes (each update moves a run from one key to another), then a read that folds them.
    await pool.query(`DO $$ BEGIN FOR i IN 1..1300 LOOP
                        UPDATE "Run" SET "status" = 'SUCCEEDED' WHERE "id" = '${failed}'; UPDATE "Run" SET "status" = 'FAILED' WHERE "id" = '${failed}';
                      END LOOP; END $$`);
    await expectSameCounts();
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "derived"."run_counts"`);
    expect(rows[0]?.n).toBeLessThan(100);
    await expectSameCounts();
  });
});
