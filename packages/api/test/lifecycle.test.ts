import { existsSync } from "node:fs";
import { FolderBackend, openArtifactStore } from "@hindcast/artifact-store";
import { purgeDeletedRuns, recordArtifact, recordCheckpoint, writeLogLines, writeMetricPoints } from "@hindcast/db";
import { type SeedRun, seedRuns } from "@hindcast/db/runs/seed";
import { apiTest, spawnWorker, stopWorker, type TestApi } from "@hindcast/test-support";
import type pg from "pg";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { storeJsonArtifact } from "./stored-artifact";

let api: TestApi;
let pool: pg.Pool;
let folder: string;

apiTest.beforeAll(({ api: served, tempDir }) => {
  api = served;
  pool = api.pool;
  folder = tempDir;
});

const as = (who: "viewer" | "operator" | "admin") => createCaller({ pool, user: api.users[who] });

/** A tRPC call over HTTP with `who`'s token: its status and JSON body. */
async function http(who: "viewer" | "operator" | "admin", procedure: string, input: unknown, type: "query" | "mutation" = "mutation") {
  const url = `${api.server.url}/${procedure}`;
  const body = JSON.stringify(superjson.serialize(input));
  const headers = { authorization: `Bearer ${api.tokens[who]}`, "content-type": "application/json" };
  const response =
    type === "query"
      ? await fetch(`${url}?input=${encodeURIComponent(body)}`, { headers })
      : await fetch(url, { method: "POST", headers, body });
  return { status: response.status, body: JSON.stringify(await response.json()) };
}

const seed = (tag: string, runs: Partial<SeedRun>[]) =>
  seedRuns(
    pool,
    runs.map((run, i) => ({ pipeline: "retrodiction", status: "SUCCEEDED", name: `${tag} ${i}`, tags: [tag], ...run })),
  );

const listed = async (filter: Record<string, unknown>) =>
  (await as("viewer").training.list({ ...filter, limit: 500 })).runs.map((run) => run.id).sort();

/** Rows of every table that holds a run's data, for these runs. */
async function rowsOf(runIds: string[]): Promise<Record<string, number>> {
  const tables = ["Run", "MetricPoint", "MetricSummary", "MetricRollup", "LogLine", "StageEvent", "Checkpoint", "Artifact", "SweepRung"];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const column = table === "Run" ? "id" : "runId";
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = ANY($1::uuid[])`, [runIds]);
    counts[table] = rows[0].n;
  }
  return counts;
}

/**
 * A finished parallel retrodiction (a parent and one child window) with data in
 * every table: metric points (and so summaries and rollups), log lines, a stage
 * event, a sweep rung, a checkpoint and artifacts in the PostgreSQL store
 * (ArtifactBlob chunks) and in the folder store.
 */
async function runWithData(tag: string) {
  const [parent] = await seed(tag, [{}]);
  const [child] = await seed(`${tag}-child`, [{ parentId: parent }]);
  const ids = [parent, child] as string[];
  const points = ids.flatMap((runId) =>
    Array.from({ length: 50 }, (_, step) => ({ runId, key: "train_loss", step, value: 1 / (step + 1) })),
  );
  await writeMetricPoints(pool, points);
  const at = new Date();
  for (const runId of ids) {
    await writeLogLines(pool, runId, 1, [
      { level: "INFO", message: "one", at, fields: undefined },
      { level: "INFO", message: "two", at, fields: undefined },
    ]);
    await pool.query(`INSERT INTO "StageEvent" ("runId", "attempt", "stage", "kind", "at") VALUES ($1, 1, 'train', 'STARTED', now())`, [
      runId,
    ]);
  }
  const { rows: sweep } = await pool.query(
    `INSERT INTO "Sweep" ("id", "config", "updatedAt") VALUES (gen_random_uuid(), '{}', now()) RETURNING "id"`,
  );
  await pool.query(`INSERT INTO "SweepRung" ("sweepId", "runId", "rung", "epoch", "value", "promoted") VALUES ($1, $2, 0, 1, 0.5, false)`, [
    sweep[0].id,
    child,
  ]);
  const inPostgres = await storeJsonArtifact(pool, parent as string, { windows: [] });
  const childResults = await storeJsonArtifact(pool, child as string, { windows: [1] });
  const bytes = new TextEncoder().encode("model weights");
  const inFolder = await new FolderBackend(folder).write(`${parent}/model.bin`, bytes);
  await recordArtifact(pool, { runId: parent as string, name: "model.bin", kind: "model", contentType: null, ...inFolder });
  const checkpoint = await openArtifactStore(pool, { kind: "postgres", folder }).write(`${child}/checkpoint-10`, bytes);
  await recordCheckpoint(pool, {
    runId: child as string,
    attempt: 1,
    step: 10,
    epoch: 1,
    uri: checkpoint.uri,
    metrics: { tag: "last", valLoss: null, learningRate: 0.001 },
  });
  const blobIds = [inPostgres, childResults, checkpoint].map((stored) => stored.uri.replace("pg-artifact:", ""));
  return {
    ids,
    parent: parent as string,
    files: { folder: new URL(inFolder.uri), blobIds },
    bytes: inPostgres.sizeBytes + childResults.sizeBytes + inFolder.sizeBytes,
  };
}

async function storedBytes(files: { folder: URL; blobIds: string[] }) {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM "ArtifactBlob" WHERE "id" = ANY($1::uuid[]))::int AS blobs,
            (SELECT count(*) FROM "ArtifactChunk" WHERE "blobId" = ANY($1::uuid[]))::int AS chunks`,
    [files.blobIds],
  );
  return { ...rows[0], file: existsSync(files.folder) };
}

describe("archive and restore", () => {
  it("hides an archived run from the list and its summary, shows it when asked, and restores it whole", async () => {
    const [kept, archived] = (await seed("archive", [{}, {}])) as [string, string];
    const before = await as("viewer").training.summary({ tags: ["archive"] });
    expect(await as("operator").lifecycle.archive({ ids: [archived] })).toEqual({ changed: 1 });
    expect(await as("operator").lifecycle.archive({ ids: [archived] })).toEqual({ changed: 0 });

    expect(await listed({ tags: ["archive"] })).toEqual([kept]);
    expect(await listed({ tags: ["archive"], archived: "only" })).toEqual([archived]);
    expect(await listed({ tags: ["archive"], archived: "include" })).toEqual([kept, archived].sort());
    expect((await as("viewer").training.summary({ tags: ["archive"] })).total).toBe(before.total - 1);
    expect((await as("viewer").training.summary({ tags: ["archive"], archived: "only" })).byStatus).toEqual({ SUCCEEDED: 1 });
    // Its page still shows it, marked.
    expect((await as("viewer").training.get({ id: archived })).archivedAt).toBeInstanceOf(Date);

    expect(await as("operator").lifecycle.restore({ ids: [archived] })).toEqual({ changed: 1 });
    expect(await listed({ tags: ["archive"] })).toEqual([kept, archived].sort());
    expect((await as("viewer").training.get({ id: archived })).archivedAt).toBeNull();
  });

  it("acts on every run a filter matches and counts the runs it changed: archive, restore, tags, cancel", async () => {
    const ids = await seed("bulk", [{}, {}, {}, { status: "QUEUED" }, { status: "RUNNING" }]);
    await seed("other", [{}]);
    const operator = as("operator");
    expect(await operator.lifecycle.archive({ filter: { tags: ["bulk"], status: ["SUCCEEDED"] } })).toEqual({ changed: 3 });
    expect(await operator.lifecycle.archive({ filter: { tags: ["bulk"] } })).toEqual({ changed: 2 });
    expect(await listed({ tags: ["bulk"] })).toEqual([]);
    expect(await operator.lifecycle.restore({ filter: { tags: ["bulk"], archived: "only" } })).toEqual({ changed: 5 });

    expect(await operator.lifecycle.tag({ filter: { tags: ["bulk"] }, add: ["reviewed", "bulk"] })).toEqual({ changed: 5 });
    expect(await operator.lifecycle.tag({ filter: { tags: ["bulk"] }, add: ["reviewed"] })).toEqual({ changed: 0 });
    expect((await as("viewer").training.get({ id: ids[0] as string })).tags).toEqual(["bulk", "reviewed"]);
    expect(await operator.lifecycle.tag({ ids: ids.slice(0, 2), remove: ["reviewed"] })).toEqual({ changed: 2 });
    expect(await listed({ tags: ["reviewed"] })).toEqual(ids.slice(2).sort());

    expect(await operator.lifecycle.cancel({ filter: { tags: ["bulk"] } })).toEqual({ changed: 2 });
    const statuses = (await as("viewer").training.list({ tags: ["bulk"], sort: { by: "name", direction: "asc" } })).runs.map(
      (r) => r.status,
    );
    expect(statuses).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "CANCELLED", "CANCELLING"]);
    expect(await listed({ tags: ["other"] })).toHaveLength(1);
  });

  it("keeps a note on a run, as plain text", async () => {
    const [id] = (await seed("note", [{}])) as [string];
    await as("operator").lifecycle.setNote({ id, note: "Diverged after epoch 3.\nLower the learning rate." });
    expect((await as("viewer").training.get({ id })).note).toBe("Diverged after epoch 3.\nLower the learning rate.");
    await as("operator").lifecycle.setNote({ id, note: "  " });
    expect((await as("viewer").training.get({ id })).note).toBeNull();
    const bad = await http("operator", "lifecycle.setNote", { id, note: "bell \u0007" });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('"path":"note"');
    expect((await http("viewer", "lifecycle.setNote", { id, note: "mine" })).status).toBe(403);
  });
});

describe("delete", () => {
  it("is for admins only, refuses bad ids naming the field, and refuses active runs naming them", async () => {
    const [finished, running] = (await seed("refused", [{}, { status: "RUNNING", name: "still training" }])) as [string, string];
    for (const who of ["viewer", "operator"] as const) {
      expect((await http(who, "lifecycle.delete", { ids: [finished] })).status).toBe(403);
      expect((await http(who, "lifecycle.deletePreview", { ids: [finished] }, "query")).status).toBe(403);
    }
    const bad = await http("admin", "lifecycle.delete", { ids: [finished, "not-a-run"] });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('"path":"ids.1"');
    const unknown = await http("admin", "lifecycle.delete", { ids: ["00000000-0000-4000-8000-000000000000"] });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("No run 00000000-0000-4000-8000-000000000000");
    expect((await http("admin", "lifecycle.delete", { ids: [finished], filter: {} })).status).toBe(400);

    const active = await http("admin", "lifecycle.delete", { ids: [finished, running] });
    expect(active.status).toBe(409);
    expect(active.body).toContain(`1 run is still active: ${running.slice(0, 8)} (still training, RUNNING)`);
    expect(active.body).toContain("cancel them first");
    expect(await listed({ tags: ["refused"] })).toEqual([finished, running].sort());
    expect((await as("admin").lifecycle.deletePreview({ ids: [running] })).activeRuns).toEqual([
      { id: running, name: "still training", status: "RUNNING" },
    ]);
  });

  it("hides a deleted run at once, then purges its rows and its bytes in every store batch by batch", async () => {
    const run = await runWithData("purged");
    const [other] = (await seed("survivor", [{}])) as [string];
    await writeMetricPoints(pool, [{ runId: other, key: "train_loss", step: 0, value: 1 }]);

    const preview = await as("admin").lifecycle.deletePreview({ ids: [run.parent] });
    expect(preview).toEqual({
      runs: 2,
      metricPoints: 100,
      logLines: 4,
      artifacts: 3,
      artifactBytes: run.bytes,
      checkpoints: 1,
      active: 0,
      activeRuns: [],
    });
    expect(await as("admin").lifecycle.delete({ ids: [run.parent] })).toEqual({ changed: 2 });
    const gone = await http("viewer", "training.get", { id: run.parent }, "query");
    expect(gone.status).toBe(404);
    expect(gone.body).toContain(`Run ${run.parent} was deleted`);
    expect(await listed({ parentId: "any", tags: ["purged"] })).toEqual([]);
    expect(await listed({ parentId: run.parent })).toEqual([]);
    expect((await as("viewer").training.summary({ tags: ["purged"] })).total).toBe(0);
    expect((await http("viewer", "compare.runs", { ids: [run.parent, other] }, "query")).status).toBe(404);
    expect(await as("admin").lifecycle.archive({ filter: { tags: ["purged"], archived: "include" } })).toEqual({ changed: 0 });
    const jobs = await pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE "task_identifier" = 'purge_runs'`);
    expect(jobs.rowCount).toBeGreaterThanOrEqual(1);

    // One run a batch: the child goes first, so the parent's cascade never takes rows whose bytes are still stored.
    const purged = await purgeDeletedRuns(pool, openArtifactStore(pool, { kind: "postgres", folder }).remove, { runs: 1, points: 1 });
    expect(purged).toEqual({ runs: 2, files: 4 });
    expect(await rowsOf(run.ids)).toEqual({
      Run: 0,
      MetricPoint: 0,
      MetricSummary: 0,
      MetricRollup: 0,
      LogLine: 0,
      StageEvent: 0,
      Checkpoint: 0,
      Artifact: 0,
      SweepRung: 0,
    });
    expect(await storedBytes(run.files)).toEqual({ blobs: 0, chunks: 0, file: false });
    expect(await rowsOf([other])).toMatchObject({ Run: 1, MetricPoint: 1 });
    const missing = await http("viewer", "training.get", { id: run.parent }, "query");
    expect(missing.body).toContain("does not exist");
  });

  it("is purged by a worker process through its purge_runs task, the selection given by filter", async () => {
    const run = await runWithData("by-worker");
    expect(await as("admin").lifecycle.delete({ filter: { tags: ["by-worker"] } })).toEqual({ changed: 2 });
    const worker = await spawnWorker(api.db.url, folder);
    try {
      await expect.poll(async () => (await rowsOf(run.ids)).Run, { timeout: 60_000, interval: 200 }).toBe(0);
      expect(await rowsOf(run.ids)).toMatchObject({ MetricPoint: 0, LogLine: 0, Artifact: 0, Checkpoint: 0 });
      expect(await storedBytes(run.files)).toEqual({ blobs: 0, chunks: 0, file: false });
    } finally {
      await stopWorker(worker);
    }
  });
});
