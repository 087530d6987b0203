import { type DatabaseHandle, openDatabase, prepareDatabase } from "@hindcast/db";
import { scratchDatabase } from "@hindcast/test-support/database";

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
