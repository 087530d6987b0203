import { writeMetricPoints } from "@hindcast/db";
import { dbTest, seattleSpec as spec } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { bootstrapAdmin, createApiToken, createCaller, createContext, hashPassword, verifyPassword } from "../src/index";
import { rejection } from "./rejection";

let pool: pg.Pool;
const users: Record<"admin" | "operator" | "viewer", { id: string; email: string; role: "ADMIN" | "OPERATOR" | "VIEWER" }> = {} as never;

const as = (who: keyof typeof users) => createCaller({ pool, user: users[who] });

dbTest.beforeAll(async ({ pool: migrated }) => {
  pool = migrated;
  const first = await bootstrapAdmin(pool);
  expect(first?.password).toMatch(/^[\w-]{16}$/);
  expect(await bootstrapAdmin(pool)).toBeUndefined();
  const admin = (await pool.query(`SELECT "id", "email", "role" FROM "User"`)).rows[0];
  users.admin = admin;
  for (const role of ["OPERATOR", "VIEWER"] as const) {
    const { id } = await as("admin").users.create({ email: `${role.toLowerCase()}@example.com`, role, password: "correct horse battery" });
    users[role.toLowerCase() as "operator" | "viewer"] = { id, email: `${role.toLowerCase()}@example.com`, role };
  }
});

describe("auth", () => {
  it("hashes passwords with scrypt and verifies them", async () => {
    const stored = await hashPassword("s3cret-passphrase");
    expect(stored).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifyPassword("s3cret-passphrase", stored)).toBe(true);
    expect(await verifyPassword("wrong", stored)).toBe(false);
  });

  it("accepts a bearer API token (stored hashed), and refuses unknown or revoked ones", async () => {
    const { id, token } = await createApiToken(pool, users.operator.id, "ci");
    const stored = await pool.query(`SELECT "tokenHash", "prefix" FROM "ApiToken" WHERE "id" = $1`, [id]);
    expect(stored.rows[0]?.tokenHash).not.toContain(token);
    expect(token.startsWith(stored.rows[0]?.prefix)).toBe(true);
    const ctx = await createContext(pool, new Headers({ authorization: `Bearer ${token}` }));
    expect(ctx.user).toMatchObject({ id: users.operator.id, role: "OPERATOR" });
    expect((await createContext(pool, new Headers({ authorization: "Bearer hc_nope" }))).user).toBeUndefined();
    await pool.query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE "id" = $1`, [id]);
    expect((await createContext(pool, new Headers({ authorization: `Bearer ${token}` }))).user).toBeUndefined();
  });

  it("signs in with email and password for a new API token; a wrong password is refused", async () => {
    const anonymous = createCaller({ pool, user: undefined });
    expect((await rejection(anonymous.users.login({ email: "operator@example.com", password: "wrong password" }))).code).toBe(
      "UNAUTHORIZED",
    );
    const { token, role } = await anonymous.users.login({ email: "Operator@Example.com", password: "correct horse battery" });
    expect(role).toBe("OPERATOR");
    expect((await createContext(pool, new Headers({ authorization: `Bearer ${token}` }))).user?.id).toBe(users.operator.id);
  });

  it("checks roles on the server: anonymous is unauthorized, viewers cannot start, only admins manage users", async () => {
    expect((await rejection(createCaller({ pool, user: undefined }).training.list({}))).code).toBe("UNAUTHORIZED");
    expect((await rejection(as("viewer").training.start({ spec }))).code).toBe("FORBIDDEN");
    expect(
      (await rejection(as("operator").users.create({ email: "x@example.com", role: "ADMIN", password: "long enough password" }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(as("admin").users.create({ email: "viewer@example.com", role: "VIEWER", password: "long enough password" }))).code,
    ).toBe("CONFLICT");
  });
});

describe("training", () => {
  it("starts a run: QUEUED row with flattened params and its queue job", async () => {
    const { id, status } = await as("operator").training.start({ spec, tags: ["baseline", "weather"], name: "seattle max temp" });
    expect(status).toBe("QUEUED");
    const run = await as("viewer").training.get({ id });
    expect(run).toMatchObject({ status: "QUEUED", pipeline: "retrodiction", queue: "any", tags: ["baseline", "weather"] });
    expect(run.params).toMatchObject({ "data.dataset": "seattle_weather", "model.kind": "linear", "train.epochs": 2 });
    const job = await pool.query(`SELECT task_identifier FROM graphile_worker.jobs WHERE key = $1`, [id]);
    expect(job.rows[0]?.task_identifier).toBe("train_any");
  });

  it("refuses a bad spec with every field path, before anything is stored", async () => {
    const before = (await pool.query(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n;
    const error = await rejection(
      as("operator").training.start({
        spec: { data: { dataset: "", target: "t" }, train: { epochs: 0 }, model: { kind: "transformer" } } as never,
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    const issues = (error.cause as unknown as { issues: { path: PropertyKey[] }[] }).issues.map((i) => i.path.join("."));
    expect(issues).toEqual(expect.arrayContaining(["spec.data.dataset", "spec.train.epochs", "spec.model.kind"]));
    const unknown = await rejection(as("operator").training.start({ spec: { data: { dataset: "nope", target: "t" } } }));
    expect(unknown.message).toMatch(/^unknown dataset "nope"\. Fix: use one of .*seattle_weather/i);
    expect(unknown.cause).toMatchObject({ path: "spec.data.dataset" });
    const column = await rejection(as("operator").training.start({ spec: { data: { dataset: "co2", target: "temp_max" } } }));
    expect(column.message).toBe('"temp_max" is not a column of co2. Fix: use one of co2, co2_adjusted');
    expect(column.cause).toMatchObject({ path: "spec.data.target" });
    expect((await pool.query(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n).toBe(before);
  });

  it("cancels a queued run at once and reports an unknown run clearly", async () => {
    const { id } = await as("operator").training.start({ spec, requireGpu: true });
    expect(await as("operator").training.cancel({ id })).toMatchObject({ status: "CANCELLED" });
    const missing = await rejection(as("operator").training.cancel({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toMatch(/Run 00000000-0000-4000-8000-000000000000 does not exist\. Fix: /);
  });

  it("lists with filters on status, tags, params and text, newest first, page by page", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        (
          await as("operator").training.start({
            spec: { ...spec, model: { kind: i % 2 ? "mlp" : "linear" } },
            tags: ["page-test", `n${i}`],
            name: `paging ${i}`,
          })
        ).id,
      );
    }
    const byTag = await as("viewer").training.list({ tags: ["page-test"], limit: 3 });
    expect(byTag.runs.map((r) => r.id)).toEqual(ids.slice(-3).reverse());
    const second = await as("viewer").training.list({ tags: ["page-test"], limit: 3, cursor: byTag.nextCursor ?? undefined });
    expect(second.runs.map((r) => r.id)).toEqual(ids.slice(1, 4).reverse());
    const third = await as("viewer").training.list({ tags: ["page-test"], limit: 3, cursor: second.nextCursor ?? undefined });
    expect(third.runs.map((r) => r.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
    const mlp = await as("viewer").training.list({ tags: ["page-test"], params: { "model.kind": "mlp" } });
    expect(mlp.runs).toHaveLength(3);
    expect((await as("viewer").training.list({ search: "paging 4" })).runs.map((r) => r.id)).toEqual([ids[4]]);
    expect((await as("viewer").training.list({ status: ["SUCCEEDED"], tags: ["page-test"] })).runs).toEqual([]);
    expect((await rejection(as("viewer").training.list({ cursor: "garbage" }))).code).toBe("BAD_REQUEST");
  });
});

describe("metrics", () => {
  it("returns metric keys and downsampled series for several runs and keys at once", async () => {
    const a = (await as("operator").training.start({ spec })).id;
    const b = (await as("operator").training.start({ spec })).id;
    for (const runId of [a, b]) {
      await writeMetricPoints(pool, [
        ...Array.from({ length: 10_000 }, (_, step) => ({ runId, key: "train_loss", step: step + 1, value: 1 / (step + 1) })),
        ...Array.from({ length: 20 }, (_, step) => ({ runId, key: "val_loss", step: (step + 1) * 500, value: 2 / (step + 1) })),
      ]);
    }
    expect((await as("viewer").metrics.keys({ runId: a })).map((k) => k.key)).toEqual(["train_loss", "val_loss"]);
    const series = await as("viewer").metrics.series({ runIds: [a, b], keys: ["train_loss", "val_loss"], maxPoints: 500 });
    expect(series.map((s) => [s.runId, s.key])).toEqual([
      [a, "train_loss"],
      [a, "val_loss"],
      [b, "train_loss"],
      [b, "val_loss"],
    ]);
    const loss = series[0];
    expect(loss?.values.length).toBeLessThanOrEqual(500);
    expect(loss?.downsampled).toBe(true);
    expect(loss?.steps[0]).toBe(1);
    expect(loss?.values[0]).toBe(1);
    expect(series[1]?.values).toHaveLength(20);
    expect((await rejection(as("viewer").metrics.series({ runIds: [], keys: ["x"] }))).code).toBe("BAD_REQUEST");
  });

  it("returns sparklines of one metric for many runs at once, keeping each run's extremes", async () => {
    const runs = await Promise.all(Array.from({ length: 3 }, () => as("operator").training.start({ spec })));
    const [long, short, none] = runs.map((r) => r.id) as [string, string, string];
    await writeMetricPoints(pool, [
      // A dip at step 4,321 that any sparkline of this run must still show.
      ...Array.from({ length: 50_000 }, (_, i) => ({
        runId: long,
        key: "val_loss",
        step: i + 1,
        value: i + 1 === 4_321 ? -5 : 1 + 1 / (i + 1),
      })),
      ...Array.from({ length: 5 }, (_, i) => ({ runId: short, key: "val_loss", step: i + 1, value: 5 - i })),
    ]);
    const lines = await as("viewer").metrics.sparklines({ runIds: [long, short, none, short], key: "val_loss", points: 32 });
    expect(lines.map((l) => l.runId)).toEqual([long, short, none]);
    const [a, b, c] = lines;
    expect(a?.values.length).toBeLessThanOrEqual(32);
    expect(a?.values.length).toBeGreaterThanOrEqual(16);
    expect(Math.min(...(a?.values ?? []))).toBe(-5);
    expect(a?.steps[0]).toBe(1);
    expect(a?.steps.at(-1)).toBe(50_000);
    expect(b).toEqual({ runId: short, steps: [1, 2, 3, 4, 5], values: [5, 4, 3, 2, 1] });
    expect(c).toEqual({ runId: none, steps: [], values: [] });
    const tooMany = await rejection(
      as("viewer").metrics.sparklines({ runIds: Array.from({ length: 201 }, () => crypto.randomUUID()), key: "val_loss" }),
    );
    expect(tooMany.code).toBe("BAD_REQUEST");
    expect(tooMany.message).toMatch(/runIds/);
  });
});

describe("fleet and datasets", () => {
  it("lists workers with heartbeat age, and the built-in datasets", async () => {
    await pool.query(
      `INSERT INTO "Worker" ("id", "hostname", "pid", "backend", "capabilities") VALUES (gen_random_uuid(), 'host-a', 42, 'wasm', '{"gpu": false}')`,
    );
    const workers = await as("viewer").workers.list();
    expect(workers[0]).toMatchObject({ hostname: "host-a", backend: "wasm", runIds: [] });
    expect(workers[0]?.heartbeatAgeSeconds).toBeGreaterThanOrEqual(0);
    const datasets = await as("viewer").datasets.list();
    expect(datasets.map((d) => d.name)).toEqual(expect.arrayContaining(["sp500", "seattle_weather", "co2"]));
  });
});
