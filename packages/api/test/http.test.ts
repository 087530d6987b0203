import { type NotificationHub, writeMetricPoints } from "@hindcast/db";
import { forceRunState, seedRuns } from "@hindcast/db/runs/seed";
import { apiTest, type TestApi, testPasswords } from "@hindcast/test-support";
import type pg from "pg";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { type ApiServer, appRouter, createCaller, sessionCookieName } from "../src/index";
import { storeGoneArtifact, storeJsonArtifact } from "./stored-artifact";

type Who = "anonymous" | "viewer" | "operator" | "admin";

/**
 * The least role each procedure needs. Every procedure of the router must be
 * here, so a new one cannot ship without a decision about who may call it.
 */
const leastRole: Record<string, Who> = {
  "training.start": "operator",
  "training.retry": "operator",
  "training.clone": "operator",
  "training.cancel": "operator",
  "training.get": "viewer",
  "training.events": "viewer",
  "training.list": "viewer",
  "training.resolveIds": "viewer",
  "training.summary": "viewer",
  "runs.logs": "viewer",
  "runs.artifacts": "viewer",
  "runs.results": "viewer",
  "lifecycle.archive": "operator",
  "lifecycle.restore": "operator",
  "lifecycle.cancel": "operator",
  "lifecycle.tag": "operator",
  "lifecycle.setNote": "operator",
  "lifecycle.deletePreview": "admin",
  "lifecycle.delete": "admin",
  "metrics.keys": "viewer",
  "metrics.series": "viewer",
  "metrics.live": "viewer",
  "metrics.sparklines": "viewer",
  "compare.runs": "viewer",
  "compare.columns": "viewer",
  "compare.rows": "viewer",
  "compare.windows": "viewer",
  "workers.list": "viewer",
  "datasets.list": "viewer",
  "datasets.preview": "viewer",
  "datasets.data": "viewer",
  "datasets.limits": "viewer",
  "datasets.upload": "operator",
  "experiments.list": "viewer",
  "experiments.create": "operator",
  "users.me": "viewer",
  "users.login": "anonymous",
  "users.logout": "anonymous",
  "users.list": "admin",
  "users.create": "admin",
  "users.setRole": "admin",
  "users.tokens": "viewer",
  "users.createToken": "viewer",
  "users.revokeToken": "viewer",
  "groups.list": "viewer",
  "groups.series": "viewer",
  "sweeps.start": "operator",
  "sweeps.list": "viewer",
  "sweeps.get": "viewer",
  "sweeps.pause": "operator",
  "sweeps.resume": "operator",
  "sweeps.cancel": "operator",
  "sweeps.trainBest": "operator",
};
const ranks: Who[] = ["anonymous", "viewer", "operator", "admin"];

let api: TestApi;
let pool: pg.Pool;
let hub: NotificationHub;
let server: ApiServer;
const tokens: Partial<Record<Who, string>> = {};
const origin = () => server.url.replace(/\/api\/trpc$/, "");

async function call(
  procedure: string,
  type: "query" | "mutation",
  input: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const url = `${server.url}/${procedure}`;
  const body = input === undefined ? undefined : superjson.serialize(input);
  if (type === "query") {
    return fetch(body ? `${url}?input=${encodeURIComponent(JSON.stringify(body))}` : url, { headers });
  }
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
}

const auth = (who: Who): Record<string, string> => (tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {});

async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "User")::int AS users,
            (SELECT count(*) FROM "ApiToken")::int AS tokens, (SELECT count(*) FROM "Dataset")::int AS datasets,
            (SELECT count(*) FROM "Experiment")::int AS experiments, (SELECT count(*) FROM graphile_worker.jobs)::int AS jobs`,
  );
  return rows[0];
}

apiTest.beforeAll(({ api: served }) => {
  api = served;
  ({ pool, hub, server } = api);
  Object.assign(tokens, api.tokens);
});

describe("roles over HTTP", () => {
  it("names the least role of every procedure", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(leastRole).sort());
  });

  it("answers 401 to anonymous and 403 below the role, with no side effects; the role itself gets past the check", async () => {
    const before = await tableCounts();
    const outcomes: string[] = [];
    for (const [procedure, least] of Object.entries(leastRole)) {
      const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[procedure]?._def.type;
      if (type === "subscription") continue; // checked through the caller below: SSE errors arrive inside the stream
      for (const who of ranks) {
        // Empty input: a caller who passes the role check then fails validation (400), never 401/403.
        const response = await call(procedure, type as "query" | "mutation", {}, auth(who));
        const allowed = ranks.indexOf(who) >= ranks.indexOf(least);
        const expected = allowed ? "allowed" : who === "anonymous" ? 401 : 403;
        const actual = response.status === 401 || response.status === 403 ? response.status : "allowed";
        if (actual !== expected) outcomes.push(`${procedure} as ${who}: got ${response.status}, expected ${expected}`);
        if (response.status >= 500) outcomes.push(`${procedure} as ${who}: server error ${await response.text()}`);
      }
    }
    expect(outcomes).toEqual([]);
    const after = await tableCounts();
    // Only the allowed calls with empty input ran, and they all fail validation: nothing changed.
    expect(after).toEqual(before);
  });

  it("refuses live events to anonymous callers", async () => {
    const events = createCaller({ pool, hub, user: undefined }).training.events({ id: "00000000-0000-4000-8000-000000000000" });
    await expect(events).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("reports bad input as 400 with every field path, never 500", async () => {
    const response = await call("training.start", "mutation", { spec: { data: { dataset: 3 }, train: { epochs: -1 } } }, auth("operator"));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { issues: { path: string }[]; stack?: string } } } };
    expect(body.error.json.data.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["spec.data.dataset", "spec.data.target", "spec.train.epochs"]),
    );
    expect(body.error.json.data.stack).toBeUndefined();
    const malformed = await call("training.get", "query", { id: "not-a-uuid" }, auth("viewer"));
    expect(malformed.status).toBe(400);
    const range = await call("metrics.series", "query", { runIds: [crypto.randomUUID()], keys: ["x"], maxPoints: 1e9 }, auth("viewer"));
    expect(range.status).toBe(400);
    expect(JSON.stringify(await range.json())).toContain("maxPoints");
  });
});

describe("browser session", () => {
  it("sets an HttpOnly cookie on login that authenticates, and logout revokes it", async () => {
    const login = await call("users.login", "mutation", { email: "viewer@example.com", password: testPasswords.viewer, session: true });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(new RegExp(`^${sessionCookieName}=hc_[\\w-]+; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800$`));
    expect(JSON.stringify(await login.json())).not.toContain("hc_");
    const cookie = setCookie.split(";")[0] as string;
    const me = await call("users.me", "query", undefined, { cookie });
    expect(((await me.json()) as { result: { data: { json: { email: string } } } }).result.data.json.email).toBe("viewer@example.com");
    const logout = await call("users.logout", "mutation", undefined, { cookie });
    expect(logout.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await call("users.me", "query", undefined, { cookie })).status).toBe(401);
  });

  it("serves artifacts to signed-in users only, and says when a file is gone", async () => {
    const caller = createCaller({
      pool,
      user: (await pool.query(`SELECT "id", "email", "role" FROM "User" WHERE "role" = 'OPERATOR'`)).rows[0],
    });
    const { id: runId } = await caller.training.start({ spec: { data: { dataset: "co2", target: "co2" } }, requireGpu: true });
    const results = await storeJsonArtifact(pool, runId, { windows: [], overall: null });
    const { id: gone } = await storeGoneArtifact(pool, runId, "gone.bin");
    const present = results.id;
    expect((await fetch(`${origin()}/api/artifacts/${present}`)).status).toBe(401);
    const download = await fetch(`${origin()}/api/artifacts/${present}`, { headers: auth("viewer") });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="results.json"');
    expect(download.headers.get("etag")).toBe(`"${results.sha256}"`);
    expect(download.headers.get("content-length")).toBe(String(results.sizeBytes));
    expect(await download.json()).toEqual({ windows: [], overall: null });
    expect((await fetch(`${origin()}/api/artifacts/${gone}`, { headers: auth("viewer") })).status).toBe(410);
    expect((await fetch(`${origin()}/api/artifacts/${crypto.randomUUID()}`, { headers: auth("viewer") })).status).toBe(404);
    const listed = await createCaller({ pool, user: undefined as never })
      .runs.artifacts({ id: runId })
      .catch((e: Error) => e);
    expect(listed).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await caller.runs.results({ id: runId })).toEqual({ windows: [], overall: null });
  });
});

describe("run list pagination", () => {
  it("pages through ties and missing metrics by every sort, each run exactly once, while new runs arrive", async () => {
    const operator = (await pool.query(`SELECT "id", "email", "role" FROM "User" WHERE "role" = 'OPERATOR'`)).rows[0];
    const caller = createCaller({ pool, user: operator });
    const { id: first } = await caller.training.start({
      spec: { data: { dataset: "co2", target: "co2" } },
      tags: ["paging"],
      requireGpu: true,
    });
    // 120 runs sharing one createdAt (ties), half of them with a metric, some metric values equal.
    // A third of the runs have a retrodiction headline, with tied skills; the rest have none. Half of those have a
    // verdict against their best classical baseline; the others a null one (no baseline fitted).
    const headline = (n: number) =>
      n % 3 === 0
        ? {
            overall: { skill: { rmseVsNaive: ((n % 5) - 2) / 10, rmseVsBest: 0 } },
            verdict:
              n % 2 === 0 ? { best: "arima", bestLabel: "ARIMA(1,0,0)", skillVsBest: ((n % 7) - 3) / 10, beatsAll: n % 7 > 3 } : null,
          }
        : undefined;
    const copied = (
      await pool.query(`SELECT "spec", "params", "pipeline", "queue", "tags", "createdAt" FROM "Run" WHERE "id" = $1`, [first])
    ).rows[0];
    const seeded = await seedRuns(
      pool,
      Array.from({ length: 120 }, (_, i) => ({
        ...copied,
        status: "SUCCEEDED" as const,
        name: `run ${(i + 1) % 7}`,
        resultSummary: headline(i + 2),
      })),
    );
    const ids = [first, ...seeded];
    await pool.query(
      `INSERT INTO "MetricSummary" ("runId", "key", "count", "last", "lastStep", "min", "max", "updatedAt")
       SELECT id, 'val_loss', 1, (n % 10)::float8, 1, (n % 10)::float8, (n % 10)::float8, now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) WHERE n % 2 = 0`,
      [ids],
    );
    const sorts = [
      { by: "createdAt", direction: "desc" },
      { by: "createdAt", direction: "asc" },
      { by: "name", direction: "asc" },
      { by: "status", direction: "desc" },
      { by: "metric", key: "val_loss", stat: "last", direction: "asc" },
      { by: "metric", key: "val_loss", stat: "min", direction: "desc" },
      { by: "skill", direction: "desc" },
      { by: "skill", direction: "asc" },
      { by: "skillVsBest", direction: "desc" },
      { by: "skillVsBest", direction: "asc" },
    ] as const;
    for (const sort of sorts) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await caller.training.list({ tags: ["paging"], sort, limit: 17, cursor, metricKeys: ["val_loss"] });
        seen.push(...page.runs.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
        // A run that arrives mid-way must not shift the pages of the runs already there.
        if (pages++ === 2)
          await caller.training.start({ spec: { data: { dataset: "co2", target: "co2" } }, tags: ["paging-late"], requireGpu: true });
      } while (cursor);
      expect(seen.length, JSON.stringify(sort)).toBe(new Set(seen).size);
      expect(new Set(seen), JSON.stringify(sort)).toEqual(new Set(ids));
    }
    const byMetric = await caller.training.list({
      tags: ["paging"],
      sort: { by: "metric", key: "val_loss", direction: "asc" },
      limit: 500,
      metricKeys: ["val_loss"],
    });
    const values = byMetric.runs.map((r) => r.metrics.val_loss?.last ?? null);
    const present = values.filter((v) => v !== null);
    expect(present).toEqual([...present].sort((a, b) => a - b));
    expect(values.slice(present.length).every((v) => v === null)).toBe(true);
    const bySkill = await caller.training.list({ tags: ["paging"], sort: { by: "skill", direction: "desc" }, limit: 500 });
    const skills = bySkill.runs.map(
      (r) => (r.resultSummary as { overall?: { skill?: { rmseVsNaive?: number } } } | null)?.overall?.skill?.rmseVsNaive,
    );
    const scored = skills.filter((s) => s !== undefined);
    expect(scored).toHaveLength(Math.floor(ids.length / 3));
    expect(scored).toEqual([...scored].sort((a, b) => b - a));
    expect(skills.slice(scored.length).every((s) => s === undefined)).toBe(true);
    // Against the best baseline, from the verdict: runs without one (null, or none stored) last.
    const byBest = await caller.training.list({ tags: ["paging"], sort: { by: "skillVsBest", direction: "desc" }, limit: 500 });
    const vsBest = byBest.runs.map((r) => (r.resultSummary as { verdict?: { skillVsBest: number } | null } | null)?.verdict?.skillVsBest);
    const judged = vsBest.filter((s) => s !== undefined);
    expect(judged).toHaveLength(Math.floor(ids.length / 6));
    expect(judged).toEqual([...judged].sort((a, b) => b - a));
    expect(vsBest.slice(judged.length).every((s) => s === undefined)).toBe(true);
    // The same filters, counted: by status, how many with a verdict beat their best baseline, and how many with a result beat naive.
    expect(await caller.training.summary({ tags: ["paging"] })).toEqual({
      total: ids.length,
      byStatus: { QUEUED: 1, SUCCEEDED: ids.length - 1 },
      withResult: scored.length,
      beatNaive: scored.filter((s) => s > 0).length,
      withVerdict: judged.length,
      beatBest: judged.filter((s) => s > 0).length,
    });
    expect((await caller.training.summary({ tags: ["paging"], status: ["QUEUED"] })).withResult).toBe(0);
    await expect(caller.training.list({ sort: { by: "metric" } as never })).rejects.toThrow(/name the metric/);
  });
});

/** Server-sent events of a response body: id, event name and parsed data. */
async function* sseEvents(response: Response): AsyncGenerator<{ id?: string; event?: string; data: unknown }> {
  const decoder = new TextDecoderStream();
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(decoder).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const fields = Object.fromEntries(
        block
          .split("\n")
          .filter((line) => line && !line.startsWith(":"))
          .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trimStart()]),
      );
      if (fields.data !== undefined) yield { id: fields.id, event: fields.event, data: fields.data ? JSON.parse(fields.data) : null };
    }
  }
}

describe("live events over SSE", () => {
  it("streams the state, then each progress NOTIFY as it commits, resumes from a last event id, and ends with the run", async () => {
    const operator = (await pool.query(`SELECT "id", "email", "role" FROM "User" WHERE "role" = 'OPERATOR'`)).rows[0];
    const { id } = await createCaller({ pool, user: operator }).training.start({
      spec: { data: { dataset: "co2", target: "co2" } },
      requireGpu: true,
    });
    const open = (lastEventId?: string) => {
      const input = encodeURIComponent(JSON.stringify(superjson.serialize({ id, lastEventId })));
      return fetch(`${server.url}/training.events?input=${input}`, { headers: { ...auth("viewer"), accept: "text/event-stream" } });
    };
    const response = await open();
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseEvents(response);
    const next = async () => {
      for (;;) {
        const { value, done } = await events.next();
        if (done) return undefined;
        if (value.id) return value as { id: string; data: { json: { status: string; percent: number; metrics: unknown[] } } };
      }
    };
    const first = await next();
    expect(first?.data.json).toMatchObject({ status: "QUEUED", percent: 0 });
    const ids = new Set([first?.id]);
    // A progress report as a worker would store and announce it (no worker holds this run: its state is forced).
    const progress = async (percent: number, status: "RUNNING" | "SUCCEEDED" = "RUNNING") => {
      await forceRunState(pool, id, { status, percent });
      await pool.query(
        `SELECT pg_notify('run_events', json_build_object('runId', $1::text, 'kind', 'progress', 'percent', $2::float8)::text)`,
        [id, percent],
      );
    };
    expect(first?.data.json).toMatchObject({ metrics: [] });
    for (const percent of [10, 20, 30, 40, 50]) {
      // Each event carries the metric summaries as they stand, so a watcher needs no training.get.
      await writeMetricPoints(pool, [{ runId: id, key: "train_loss", step: percent, value: 1 / percent }]);
      await progress(percent);
      const event = await next();
      expect(event?.data.json).toMatchObject({
        status: "RUNNING",
        percent,
        metrics: [{ key: "train_loss", last: 1 / percent, count: percent / 10 }],
      });
      ids.add(event?.id);
    }
    expect(ids.size).toBe(6);

    // A reconnect (the link sends the last event id it saw) starts from the current state: nothing is lost.
    const resumed = sseEvents(await open([...ids].at(-1)));
    for (;;) {
      const { value } = await resumed.next();
      if (value?.id) {
        expect((value.data as { json: { percent: number } }).json.percent).toBe(50);
        break;
      }
    }
    await progress(100, "SUCCEEDED");
    expect((await next())?.data.json).toMatchObject({ status: "SUCCEEDED", percent: 100 });
    expect(await next()).toBeUndefined();
  });
});

describe("live metric points over SSE", () => {
  it("sends the points after the client's last step, then each flush's new points, resumes by event id, and ends with the run", async () => {
    const operator = (await pool.query(`SELECT "id", "email", "role" FROM "User" WHERE "role" = 'OPERATOR'`)).rows[0];
    const { id: runId } = await createCaller({ pool, user: operator }).training.start({
      spec: { data: { dataset: "co2", target: "co2" } },
      requireGpu: true,
    });
    const write = async (from: number, to: number) => {
      await writeMetricPoints(
        pool,
        Array.from({ length: to - from + 1 }, (_, i) => ({ runId, key: "train_loss", step: from + i, value: 1 / (from + i) })),
      );
      await pool.query(`SELECT pg_notify('run_events', json_build_object('runId', $1::text, 'kind', 'metrics')::text)`, [runId]);
    };
    await write(1, 10);
    const open = (after: Record<string, number>, lastEventId?: string) => {
      const input = encodeURIComponent(
        JSON.stringify(superjson.serialize({ runId, keys: ["train_loss", "val_loss"], after, lastEventId })),
      );
      return fetch(`${server.url}/metrics.live?input=${input}`, { headers: auth("viewer") });
    };
    type Event = { id: string; data: { json: { key: string; steps: number[]; values: number[] }[] } };
    const events = sseEvents(await open({ train_loss: 4 }));
    const next = async (): Promise<Event | undefined> => {
      for (;;) {
        const { value, done } = await events.next();
        if (done) return undefined;
        if (value.id) return value as Event;
      }
    };
    const first = await next();
    expect(first?.data.json).toEqual([
      { key: "train_loss", steps: [5, 6, 7, 8, 9, 10], values: [1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9, 1 / 10], wallMs: expect.any(Array) },
    ]);
    await write(11, 12);
    expect((await next())?.data.json[0]?.steps).toEqual([11, 12]);
    const resumed = sseEvents(await open({}, JSON.stringify({ train_loss: 11 })));
    for (;;) {
      const { value } = await resumed.next();
      if (value?.id) {
        expect((value.data as Event["data"]).json[0]?.steps).toEqual([12]);
        break;
      }
    }
    await write(13, 13);
    await forceRunState(pool, runId, { status: "SUCCEEDED" });
    await pool.query(`SELECT pg_notify('run_events', json_build_object('runId', $1::text, 'kind', 'status')::text)`, [runId]);
    const last: number[] = [];
    for (let event = await next(); event; event = await next()) last.push(...(event.data.json[0]?.steps ?? []));
    expect(last).toEqual([13]);
  });
});
