import { randomBytes } from "node:crypto";
import { createDatabaseIfMissing, type DatabaseHandle, openDatabase, prepareDatabase, withDatabase } from "@hindcast/db";
import pg from "pg";

export interface BenchDatabase {
  /** The server the bench runs on (DATABASE_URL's or the embedded one). */
  server: DatabaseHandle;
  /** A fresh, migrated database of its own on that server. */
  url: string;
  /** Drops the bench database and lets the server go. */
  drop(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const server = await openDatabase();
  const name = `hindcast_bench_${randomBytes(4).toString("hex")}`;
  await createDatabaseIfMissing(server.url, name);
  const url = withDatabase(server.url, name);
  await prepareDatabase(url);
  return {
    server,
    url,
    drop: async () => {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
      await server.close();
    },
  };
}
