import { writeMetricPoints } from "@hindcast/db";
import { seedRuns } from "@hindcast/db/runs/seed";
import { apiTest, seattleSpec, type TestApi } from "@hindcast/test-support";
import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { maxSeeds } from "../src/schemas";
import { callProcedure } from "./fuzz/http-cases";
import { rejection } from "./rejection";

const tag = "grouped";
let api: TestApi;
const as = (who: "viewer" | "operator") => createCaller({ pool: api.pool, user: api.users[who] });

const issuePaths = (error: TRPCError) =>
  (error.cause as unknown as { issues: { path: PropertyKey[] }[] }).issues.map((i) => i.path.join("."));

/** Each seeded run: its model family (none: a spec without one), skill against the best baseline (none: no verdict), val_loss (last, min). */
const seeded: { kind?: string; skill?: number; loss?: [number, number]; tags?: string[] }[] = [
  { kind: "linear", skill: 0.1, loss: [1.5, 1.2], tags: ["a"] },
  { kind: "linear", skill: 0.3, loss: [1.1, 1.0], tags: ["a", "b"] },
  { kind: "linear", skill: -0.2, loss: [Number.NaN, 0.9] },
  { kind: "linear", loss: [2.0, 1.8], tags: ["b"] },
  { kind: "mlp", skill: 0.05, loss: [0.7, 0.6] },
  { kind: "mlp", skill: 0.25, loss: [0.8, 0.5] },
  { kind: "mlp", skill: 0.15 },
  { skill: 0.4 },
];

const summaryOf = (skill?: number) =>
  skill === undefined ? undefined : { verdict: { best: "arima", bestLabel: "ARIMA(1,0,0)", skillVsBest: skill, beatsAll: skill > 0 } };

apiTest.beforeAll(async ({ api: served }) => {
  api = served;
  const ids = await seedRuns(api.pool, [
    ...seeded.map((run) => ({
      pipeline: "retrodiction",
      status: "SUCCEEDED" as const,
      params: run.kind ? { "model.kind": run.kind } : {},
      tags: [tag, ...(run.tags ?? [])],
      resultSummary: summaryOf(run.skill),
    })),
    // Outside the tag filter: must not count.
    { pipeline: "retrodiction", status: "SUCCEEDED", params: { "model.kind": "linear" }, tags: ["elsewhere"], resultSummary: summaryOf(9) },
  ]);
  const losses = seeded.flatMap((run, i) => (run.loss ? [{ id: ids[i], last: run.loss[0], min: run.loss[1] }] : []));
  await api.pool.query(
    `INSERT INTO "MetricSummary" ("runId", "key", "count", "last", "lastStep", "min", "max", "updatedAt")
     SELECT id, 'val_loss', 1, last, 1, min, last, now() FROM unnest($1::uuid[], $2::float8[], $3::float8[]) AS t(id, last, min)`,
    [losses.map((l) => l.id), losses.map((l) => l.last), losses.map((l) => l.min)],
  );
});

/** Mean, sample std, min and max of the finite values, as the group row must show them. */
function stats(values: (number | undefined)[]) {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const std = finite.length > 1 ? Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (finite.length - 1)) : null;
  return { count: finite.length, mean, std, min: Math.min(...finite), max: Math.max(...finite) };
}

const close = (expected: ReturnType<typeof stats>) => ({
  count: expected.count,
  mean: expect.closeTo(expected.mean, 12),
  std: expected.std === null ? null : expect.closeTo(expected.std, 12),
  min: expected.min,
  max: expected.max,
});

describe("groups.list", () => {
  it("groups by a param: counts, and each metric's mean, std, min-max and best by its direction, after the filters", async () => {
    const { groups, more } = await as("viewer").groups.list({
      tags: [tag],
      groupBy: "param:model.kind",
      metrics: [
        { source: "headline", key: "skill_vs_best" },
        { source: "metric", key: "val_loss", stat: "last" },
        { source: "metric", key: "val_loss", stat: "min" },
      ],
    });
    expect(more).toBe(false);
    expect(groups.map((g) => [g.value, g.count])).toEqual([
      ["linear", 4],
      ["mlp", 3],
      [null, 1],
    ]);
    for (const group of groups) {
      const runs = seeded.filter((run) => (run.kind ?? null) === group.value);
      const skill = stats(runs.map((run) => run.skill));
      // Skill is better higher: its best is the max; a loss is better lower: its best is the min.
      expect(group.metrics[0]).toEqual({ ...close(skill), best: skill.max });
      if (group.value === null) continue;
      const last = stats(runs.map((run) => run.loss?.[0]));
      const min = stats(runs.map((run) => run.loss?.[1]));
      expect(group.metrics[1]).toEqual({ ...close(last), best: last.min });
      expect(group.metrics[2]).toEqual({ ...close(min), best: min.min });
    }
    // One value is no spread; NaN (a diverged run) is left out of the mean and counted out.
    expect(groups[1]?.metrics[1]?.count).toBe(2);
    expect(groups[0]?.metrics[1]?.count).toBe(3);

    const limited = await as("viewer").groups.list({ tags: [tag], groupBy: "param:model.kind", limit: 2 });
    expect(limited).toMatchObject({ more: true, groups: [{ value: "linear", metrics: [] }, { value: "mlp" }] });
  });

  it("groups by tag (a run in each of its tags' groups), by experiment and by run group; a group's runs list through the same filters", async () => {
    const byTag = await as("viewer").groups.list({ tags: [tag], groupBy: "tag" });
    expect(Object.fromEntries(byTag.groups.map((g) => [g.value, g.count]))).toEqual({ [tag]: 8, a: 2, b: 2 });

    const experiment = "groups-exp";
    for (let i = 0; i < 2; i++) await as("operator").training.start({ spec: seattleSpec, tags: ["exp-group"], experiment });
    await as("operator").training.start({ spec: seattleSpec, tags: ["exp-group"] });
    const byExperiment = await as("viewer").groups.list({ tags: ["exp-group"], groupBy: "experiment" });
    expect(byExperiment.groups.map((g) => [g.value, g.count])).toEqual([
      [experiment, 2],
      [null, 1],
    ]);

    const members = await as("viewer").training.list({ tags: [tag], group: { by: "param:model.kind", value: "mlp" } });
    expect(members.runs.map((run) => run.params["model.kind"])).toEqual(["mlp", "mlp", "mlp"]);
    const none = await as("viewer").training.list({ tags: [tag], group: { by: "param:model.kind", value: null } });
    expect(none.runs).toHaveLength(1);
    const tagged = await as("viewer").training.summary({ tags: [tag], group: { by: "tag", value: "b" } });
    expect(tagged.total).toBe(2);
    const inExperiment = await as("viewer").training.list({ group: { by: "experiment", value: experiment } });
    expect(inExperiment.runs).toHaveLength(2);
  });

  it("answers a groupBy that is no param, tag, experiment or run group with a 400 naming groupBy", async () => {
    for (const groupBy of [
      "param:nope.key",
      `param:model.kind'); DROP TABLE "Run"; --`,
      "x".repeat(10_000),
      "param:__proto__",
      "tags",
      "",
    ]) {
      const error = await rejection(as("viewer").groups.list({ groupBy }));
      expect(error.code, groupBy.slice(0, 40)).toBe("BAD_REQUEST");
      expect(issuePaths(error)).toEqual(["groupBy"]);
    }
    const overHttp = await callProcedure(
      api.server.url,
      "groups.list",
      "query",
      { groupBy: "param:model.kind;SELECT" },
      { authorization: `Bearer ${api.tokens.viewer}` },
      0,
    );
    expect(overHttp.status).toBe(400);
    expect(overHttp.body).toContain('"path":"groupBy"');
    const member = await rejection(as("viewer").training.list({ group: { by: "param:model.kind", value: { a: 1 } as never } }));
    expect(issuePaths(member)).toEqual(["group.value"]);
  });
});

describe("seed lists", () => {
  it("starts one run per seed, each with its one seed, named after it and sharing a new run group", async () => {
    const started = await as("operator").training.start({
      spec: { ...seattleSpec, train: { ...seattleSpec.train, seed: [7, 8, 9] } },
      name: "seeded",
      tags: ["seeds"],
    });
    expect(started.ids).toHaveLength(3);
    expect(started.id).toBe(started.ids[0]);
    expect(started.runGroup).toMatch(/^seeded seeds [0-9a-f]{8}$/);
    const { rows } = await api.pool.query(
      `SELECT "id", "name", "runGroup", "spec" FROM "Run" WHERE "id" = ANY($1::uuid[]) ORDER BY "name"`,
      [started.ids],
    );
    expect(rows.map((row) => [row.name, row.runGroup, row.spec.train.seed])).toEqual([
      ["seeded seed 7", started.runGroup, 7],
      ["seeded seed 8", started.runGroup, 8],
      ["seeded seed 9", started.runGroup, 9],
    ]);
    const byGroup = await as("viewer").groups.list({ tags: ["seeds"], groupBy: "runGroup" });
    expect(byGroup.groups).toEqual([{ value: started.runGroup, count: 3, metrics: [] }]);
    // One seed is one run, in no group.
    const single = await as("operator").training.start({ spec: { ...seattleSpec, train: { ...seattleSpec.train, seed: 3 } } });
    expect(single).toMatchObject({ ids: [single.id], runGroup: null });

    // The group's chart: per step, the mean, std, min and max across its runs, and each run's line on request.
    const [a, b, c] = started.ids as [string, string, string];
    await writeMetricPoints(api.pool, [
      ...[1, 2, 3].map((step) => ({ runId: a, key: "val_loss", step, value: step })),
      ...[1, 2, 3].map((step) => ({ runId: b, key: "val_loss", step, value: step + 2 })),
      ...[1, 2].map((step) => ({ runId: c, key: "val_loss", step, value: step * 3 })),
      { runId: c, key: "val_loss", step: 3, value: Number.NaN },
    ]);
    const series = await as("viewer").groups.series({
      group: { by: "runGroup", value: started.runGroup },
      key: "val_loss",
      members: true,
    });
    expect(series).toMatchObject({ bucketSteps: 1, sampled: false, steps: [1, 2, 3], runCount: [3, 3, 2] });
    expect(series.mean).toEqual([7 / 3, 4, 4].map((v) => expect.closeTo(v, 12)));
    expect(series.std[0]).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(series.std[2]).toBeCloseTo(Math.SQRT2, 12);
    expect(series.min).toEqual([1, 2, 3]);
    expect(series.max).toEqual([3, 6, 5]);
    const lineOf = (id: string) => series.lines?.[series.runs.findIndex((run) => run.id === id)];
    expect(lineOf(a)).toEqual([1, 2, 3]);
    expect(lineOf(c)).toEqual([3, 6, null]);
    const withoutLines = await as("viewer").groups.series({ group: { by: "runGroup", value: started.runGroup }, key: "val_loss" });
    expect(withoutLines.lines).toBeNull();
  });

  it("refuses a bad seed list with its path, before anything is stored", async () => {
    const before = (await api.pool.query(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n;
    const lists: [unknown, string][] = [
      [[], "spec.train.seed"],
      [Array.from({ length: maxSeeds + 1 }, (_, i) => i), "spec.train.seed"],
      [[1, 2, 1], "spec.train.seed"],
      [[1, 2.5], "spec.train.seed.1"],
      [[1, "2"], "spec.train.seed.1"],
      [[2 ** 40], "spec.train.seed.0"],
    ];
    for (const [seed, path] of lists) {
      const error = await rejection(as("operator").training.start({ spec: { ...seattleSpec, train: { seed: seed as number[] } } }));
      expect(error.code, JSON.stringify(seed)).toBe("BAD_REQUEST");
      expect(issuePaths(error)).toEqual([path]);
    }
    expect((await api.pool.query(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n).toBe(before);
  });
});
