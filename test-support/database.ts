import { randomBytes } from "node:crypto";
import { withDatabase } from "@hindcast/db";
import pg from "pg";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.HINDCAST_TEST_SERVER_URL;
  if (!url) throw new Error("HINDCAST_TEST_SERVER_URL is unset: run tests through vitest (test-support/global-setup.ts)");
  return url;
}

/** A new, empty database on the test server. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `hc_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl(), name),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      // pool.end() resolves once its clients have sent Terminate, not once their backends are gone:
      // forcing the drop then makes the server send FATAL 57P01 to a client nobody listens to any more,
      // an uncaught error in whichever test file runs. Give those sessions a moment to end first.
      for (let attempt = 0; attempt < 50; attempt++) {
        const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await client.end();
    },
  };
}
