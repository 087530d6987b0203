import { randomBytes } from "node:crypto";
import { withDatabase } from "@hindcast/db";
import pg from "pg";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The server the vitest run's global setup chose (global-setup.ts). */
function testServerUrl(): string {
  const url = process.env.HINDCAST_TEST_SERVER_URL;
  if (!url) throw new Error("HINDCAST_TEST_SERVER_URL is unset: run tests through vitest (@hindcast/test-support/global-setup)");
  return url;
}

async function onMaintenanceDatabase(serverUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database named after `label` on `serverUrl` (by default the test server). */
export async function scratchDatabase(label: string, serverUrl: string = testServerUrl()): Promise<ScratchDatabase> {
  const name = `hc_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  await onMaintenanceDatabase(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () =>
      onMaintenanceDatabase(serverUrl, async (client) => {
        // pool.end() resolves once its clients have sent Terminate, not once their backends are gone:
        // forcing the drop then makes the server send FATAL 57P01 to a client nobody listens to any more,
        // an uncaught error in whichever test file runs. Give those sessions a moment to end first.
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
