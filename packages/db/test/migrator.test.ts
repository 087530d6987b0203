import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type ScratchDatabase, scratchDatabase } from "@hindcast/test-support";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { checksum, migrate, readLocalMigrations, UserFacingError } from "../src/index";
import { migrationsDir } from "../src/paths";

const databases: ScratchDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

async function freshDatabase(label: string): Promise<ScratchDatabase> {
  const db = await scratchDatabase(label);
  databases.push(db);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A copy of the project's migrations that a test may change. */
async function copyOfMigrations(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), "hindcast-migrations-")), "migrations");
  await cp(migrationsDir, dir, { recursive: true });
  return dir;
}

describe("migrator", () => {
  it("migrates an empty database, then finds nothing to do", async () => {
    const db = await freshDatabase("migrate_twice");
    const local = await readLocalMigrations();
    const first = await migrate(db.url);
    expect(first.applied).toEqual(local.map((m) => m.name));
    const second = await migrate(db.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(local.map((m) => m.name));

    const history = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      db.url,
      `select migration_name, checksum, finished_at, applied_steps_count from "_prisma_migrations"`,
    );
    expect(history).toHaveLength(local.length);
    for (const row of history) {
      const file = local.find((m) => m.name === row.migration_name);
      expect(row.checksum).toBe(file?.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("records Prisma's checksum: SHA-256 of migration.sql, hex", () => {
    expect(checksum("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(checksum("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("refuses to run when an applied migration was changed, and changes nothing", async () => {
    const db = await freshDatabase("tamper");
    const dir = await copyOfMigrations();
    await migrate(db.url, { migrationsDir: dir });
    const [first] = await readLocalMigrations(dir);
    if (!first) throw new Error("no migrations");
    await writeFile(path.join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited afterwards\n`);
    await mkdir(path.join(dir, "29990101000000_later"));
    await writeFile(path.join(dir, "29990101000000_later", "migration.sql"), `CREATE TABLE "Later" ("id" INTEGER);`);

    const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).toLine()).toMatch(
      new RegExp(`Migration ${first.name} was changed after it was applied.*Fix: restore`),
    );
    const later = await query(db.url, `select to_regclass('"Later"') as t`);
    expect(later[0]?.t).toBeNull();
  });

  it("rolls back a failing migration whole and names the line", async () => {
    const db = await freshDatabase("failing");
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, "29990101000000_broken"));
    await writeFile(
      path.join(dir, "29990101000000_broken", "migration.sql"),
      `CREATE TABLE "HalfDone" ("id" INTEGER);\nINSERT INTO "HalfDone" VALUES (1);\nSELECT * FROM "NoSuchTable";\n`,
    );
    const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(
      /Migration 29990101000000_broken failed at line 3: relation "NoSuchTable" does not exist; nothing from it was applied/,
    );

    const halfDone = await query(db.url, `select to_regclass('"HalfDone"') as t`);
    expect(halfDone[0]?.t).toBeNull();
    const history = await query<{ migration_name: string }>(db.url, `select migration_name from "_prisma_migrations"`);
    expect(history.map((h) => h.migration_name)).toEqual((await readLocalMigrations()).map((m) => m.name));
    // The earlier migration stays applied and the fixed one applies on the next run.
    await writeFile(path.join(dir, "29990101000000_broken", "migration.sql"), `CREATE TABLE "HalfDone" ("id" INTEGER);\n`);
    expect((await migrate(db.url, { migrationsDir: dir })).applied).toEqual(["29990101000000_broken"]);
  });

  it("applies each migration once when several processes migrate at the same time", async () => {
    const db = await freshDatabase("concurrent");
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts).toEqual([0, 0, (await readLocalMigrations()).length]);
    const history = await query(db.url, `select 1 from "_prisma_migrations"`);
    expect(history).toHaveLength((await readLocalMigrations()).length);
  });

  it("reports a migration that started but never finished (left by another tool)", async () => {
    const db = await freshDatabase("unfinished");
    await migrate(db.url);
    await query(
      db.url,
      `insert into "_prisma_migrations" (id, checksum, migration_name, started_at) values (gen_random_uuid()::text, 'x', '29990101000000_crashed', now())`,
    );
    await expect(migrate(db.url)).rejects.toThrow(/29990101000000_crashed started but never finished/);
  });
});
