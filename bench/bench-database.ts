import { createDatabaseIfMissing, type DatabaseHandle, openDatabase, prepareDatabase, withDatabase } from "@hindcast/db";
import { scratchDatabase } from "@hindcast/test-support/database";

export interface BenchDatabase {
  /** The server the bench runs on (DATABASE_URL's or the embedded one). */
  server: DatabaseHandle;
  /** A migrated database of its own on that server. */
  url: string;
  /** Lets the server go; a scratch database is dropped first, a kept one stays for the next run. */
  drop(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const server = await openDatabase();
  const db = await scratchDatabase("bench", server.url);
  await prepareDatabase(db.url);
  return {
    server,
    url: db.url,
    drop: async () => {
      await db.drop();
      await server.close();
    },
  };
}

/**
 * A database named `name` on the bench's server that outlives the bench, for
 * data that takes minutes to seed: created when missing, migrated to this
 * checkout's schema each time (so new indexes are built on the kept rows).
 */
export async function openKeptBenchDatabase(name: string): Promise<BenchDatabase> {
  const server = await openDatabase();
  await createDatabaseIfMissing(server.url, name);
  const url = withDatabase(server.url, name);
  await prepareDatabase(url);
  return { server, url, drop: () => server.close() };
}
