import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabaseIfMissing, parseDatabaseUrl, startEmbeddedPostgres, withDatabase } from "@hindcast/db";

/**
 * One PostgreSQL server for the whole test run: the one DATABASE_URL names,
 * or a throwaway embedded one. Each test file then makes its own database on
 * it (scratchDatabase), so files never see each other's rows.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    parseDatabaseUrl(process.env.DATABASE_URL);
    const { pathname } = new URL(process.env.DATABASE_URL);
    await createDatabaseIfMissing(withDatabase(process.env.DATABASE_URL, "postgres"), decodeURIComponent(pathname.slice(1)));
    process.env.HINDCAST_TEST_SERVER_URL = process.env.DATABASE_URL;
    return async () => {};
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-test-pg-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), ephemeral: true, unsafeFast: true });
  process.env.HINDCAST_TEST_SERVER_URL = server.url;
  return () => server.stop();
}
