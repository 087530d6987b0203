import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { UserFacingError } from "@hindcast/contracts";
import pg from "pg";
import { describeConnectError } from "./connection-url";
import { logger } from "./logger";
import { migrationsDir as defaultMigrationsDir } from "./paths";

/**
 * Applies Prisma-format migrations (prisma/migrations/<name>/migration.sql)
 * without Prisma's native schema engine, which cannot be downloaded here.
 * History goes into `_prisma_migrations` with Prisma's columns, checksum
 * (SHA-256 of the file) and advisory lock, so `prisma migrate deploy` agrees
 * with it wherever the engine exists. Each migration runs in one transaction.
 */

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** The lock id Prisma Migrate takes, so our migrator and Prisma's exclude each other. */
const prismaAdvisoryLockId = 72707369;

const historyTableSql = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function checksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

export async function readLocalMigrations(dir = defaultMigrationsDir): Promise<LocalMigration[]> {
  if (!existsSync(dir)) {
    throw new UserFacingError(`No migrations folder at ${dir}`, "run from a Hindcast checkout, or restore prisma/migrations");
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(dir, name, "migration.sql");
    if (!existsSync(file)) {
      throw new UserFacingError(`Migration folder ${name} has no migration.sql`, `add ${file} or remove the folder`);
    }
    const sql = await readFile(file, "utf8");
    migrations.push({ name, sql, checksum: checksum(sql) });
  }
  return migrations;
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function migrate(url: string, options: { migrationsDir?: string } = {}): Promise<MigrateResult> {
  const local = await readLocalMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw describeConnectError(error, url);
  }
  client.on("error", (error) => logger.error({ err: error }, "migrator connection error"));
  try {
    await client.query("select pg_advisory_lock($1)", [prismaAdvisoryLockId]);
    await client.query(historyTableSql);
    const history = await readHistory(client);
    checkHistory(local, history);

    const done = new Set(history.filter(isApplied).map((row) => row.migration_name));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of local) {
      if (done.has(migration.name)) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(client, migration);
      result.applied.push(migration.name);
      logger.debug({ migration: migration.name }, "migration applied");
    }
    return result;
  } finally {
    await client.query("select pg_advisory_unlock($1)", [prismaAdvisoryLockId]).catch(() => {});
    await client.end();
  }
}

async function readHistory(client: pg.Client): Promise<HistoryRow[]> {
  const { rows } = await client.query<HistoryRow>(
    `select migration_name, checksum, finished_at, rolled_back_at
       from "_prisma_migrations" order by started_at`,
  );
  return rows;
}

const isApplied = (row: HistoryRow) => row.finished_at !== null && row.rolled_back_at === null;

function checkHistory(local: LocalMigration[], history: HistoryRow[]): void {
  const byName = new Map(local.map((m) => [m.name, m]));
  for (const row of history) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new UserFacingError(
        `Migration ${row.migration_name} started but never finished in this database (a failed run of another tool)`,
        `repair the database by hand, then mark it rolled back (prisma migrate resolve --rolled-back ${row.migration_name})`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      logger.warn({ migration: row.migration_name }, "applied migration is missing from prisma/migrations");
      continue;
    }
    if (file.checksum !== row.checksum) {
      throw new UserFacingError(
        `Migration ${row.migration_name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk)`,
        "restore the original migration.sql and put the change in a new migration folder",
      );
    }
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  await client.query("BEGIN");
  try {
    const id = randomUUID();
    await client.query(
      `insert into "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       values ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(`update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1`, [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const err = error as { message?: string; position?: string };
    const line = err.position ? ` at line ${lineOf(migration.sql, Number(err.position))}` : "";
    throw new UserFacingError(
      `Migration ${migration.name} failed${line}: ${err.message}; nothing from it was applied`,
      `fix prisma/migrations/${migration.name}/migration.sql and run npm run db:migrate again`,
      { cause: error },
    );
  }
}

function lineOf(sql: string, position: number): number {
  return sql.slice(0, position).split("\n").length;
}
