import { createHash } from "node:crypto";
import { longSpec, quickSpec } from "@hindcast/test-support";
import {
  adminToken,
  createNetnsHost,
  type HostProcess,
  killHostProcess,
  type NetnsHost,
  startApiInHost,
  startWorkerInHost,
} from "@hindcast/test-support/netns";
import { afterAll, describe, expect, it } from "vitest";
import { enqueue, lossSteps, type WorkerTestDatabase, waitForStatus, workerTest } from "./harness";

// Two "machines" as network namespaces that share nothing but a TCP path to PostgreSQL:
// host A serves the API (and later takes over a training), host B trains.
let db: WorkerTestDatabase;
const hosts: NetnsHost[] = [];
const processes: HostProcess[] = [];
let hostA: NetnsHost;
let hostB: NetnsHost;
let workerB: HostProcess & { workerId: string };
let api: { origin: string; token: string };

workerTest.beforeAll(async ({ workerDb }) => {
  db = workerDb;
  hostA = await createNetnsHost("a", 0, db.url);
  hosts.push(hostA);
  hostB = await createNetnsHost("b", 1, db.url);
  hosts.push(hostB);
  const [server, worker] = await Promise.all([startApiInHost(hostA), startWorkerInHost(hostB, db.pool)]);
  processes.push(server, worker);
  workerB = worker;
  api = { origin: server.origin, token: await adminToken(db.pool) };
});

afterAll(async () => {
  await Promise.allSettled(processes.map(killHostProcess));
  await Promise.allSettled(hosts.map((host) => host.remove()));
});

/** A tRPC query over host A's HTTP API, as the dashboard and the CLI send it (superjson: the input under `json`). */
async function query<T>(procedure: string, input: unknown): Promise<T> {
  const url = `${api.origin}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${api.token}` } });
  const body = (await response.json()) as { result?: { data: { json: T } } };
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body.result?.data.json as T;
}

interface ArtifactRow {
  id: string;
  name: string;
  uri: string;
  sha256: string;
}

async function newestCheckpoint(runId: string): Promise<{ step: number; uri: string } | undefined> {
  const { rows } = await db.pool.query<{ step: number; uri: string }>(
    `SELECT "step", "uri" FROM "Checkpoint" WHERE "runId" = $1 ORDER BY "step" DESC LIMIT 1`,
    [runId],
  );
  return rows[0];
}

describe("two hosts that share only PostgreSQL", () => {
  it("host A's API serves the results and the files of a run host B trained, byte for byte", async () => {
    const id = await enqueue(db.pool, quickSpec);
    const run = await waitForStatus(db.pool, id, undefined, 60_000);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.workerId).toBe(workerB.workerId);

    const results = await query<{ windows: { window: { index: number } }[] } | null>("runs.results", { id });
    expect(results?.windows.map((w) => w.window.index)).toEqual([0, 1]);

    const listed = await query<{ id: string; name: string; url: string }[]>("runs.artifacts", { id });
    expect(listed.map((a) => a.name)).toEqual(expect.arrayContaining(["results.json", "model/model.json", "model/weights.bin"]));
    const { rows } = await db.pool.query<ArtifactRow>(`SELECT "id", "name", "uri", "sha256" FROM "Artifact" WHERE "runId" = $1`, [id]);
    // What the browser preview's "Load a trained run" downloads.
    for (const name of ["results.json", "model/model.json", "model/weights.bin"]) {
      const artifact = listed.find((a) => a.name === name);
      const row = rows.find((r) => r.id === artifact?.id);
      expect(row?.uri, name).toMatch(/^pg-artifact:/);
      const response = await fetch(`${api.origin}${artifact?.url}`, { headers: { authorization: `Bearer ${api.token}` } });
      expect(response.status, name).toBe(200);
      const sha256 = createHash("sha256")
        .update(Buffer.from(await response.arrayBuffer()))
        .digest("hex");
      expect(sha256, name).toBe(row?.sha256);
    }
  });

  it("a worker on host A resumes, from host B's checkpoint, the training host B was killed in", async () => {
    const id = await enqueue(db.pool, longSpec(150));
    const running = await waitForStatus(db.pool, id, (s) => s === "RUNNING", 60_000);
    expect(running.workerId).toBe(workerB.workerId);
    await expect.poll(async () => (await newestCheckpoint(id))?.step ?? 0, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    const written = (await newestCheckpoint(id)) as { step: number; uri: string };
    // The only copy of B's checkpoint that A could ever read: the database's.
    expect(written.uri).toMatch(/^pg-artifact:/);

    await killHostProcess(workerB);
    const workerA = await startWorkerInHost(hostA, db.pool);
    processes.push(workerA);

    // The rest of 150 epochs on a busy machine: the harness's default wait (120 s), not a poll's.
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.attempt).toBeGreaterThanOrEqual(2);
    expect(run.workerId).toBe(workerA.workerId);
    const resumed = await db.pool.query<{ message: string }>(
      `SELECT "message" FROM "LogLine" WHERE "runId" = $1 AND "message" LIKE '%resuming at step%'`,
      [id],
    );
    expect(resumed.rows).toHaveLength(1);
    expect(Number(resumed.rows[0]?.message.match(/resuming at step (\d+)/)?.[1])).toBeGreaterThanOrEqual(written.step);
    const steps = await lossSteps(db.pool, id);
    expect(steps.min).toBe(1);
    expect(steps.count).toBe(steps.max);
    const dead = await db.pool.query<{ status: string }>(`SELECT "status" FROM "Worker" WHERE "id" = $1`, [workerB.workerId]);
    expect(dead.rows[0]?.status).toBe("DEAD");
  });
});
