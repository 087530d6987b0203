import { existsSync, readFileSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { UserFacingError } from "@hindcast/contracts";
import pg from "pg";
import { z } from "zod";
import { describeConnectError, parseDatabaseUrl, redact, withDatabase } from "./connection-url";
import { isAlive, isPortFree, runningServer, startEmbeddedPostgres } from "./embedded";
import { logger } from "./logger";
import { hindcastHome } from "./paths";

export interface DatabaseHandle {
  url: string;
  /** Where the URL came from. */
  source: "DATABASE_URL" | "embedded (started here)" | "embedded (shared)";
  /** Stops the embedded server when this process started it. */
  close(): Promise<void>;
}

const portSchema = z.coerce.number().int().min(1).max(65535);
const sharedServerSchema = z.object({ url: z.string(), ownerPid: z.number().int() });
const embeddedDatabase = "hindcast";

/**
 * The database every Hindcast process uses: DATABASE_URL when set; otherwise
 * the embedded PostgreSQL under HINDCAST_HOME, started here or, when another
 * Hindcast process already runs it, shared with that process.
 */
export async function openDatabase(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) {
    parseDatabaseUrl(env.DATABASE_URL);
    await assertConnectable(env.DATABASE_URL);
    return { url: env.DATABASE_URL, source: "DATABASE_URL", close: async () => {} };
  }
  const home = hindcastHome();
  const dataDir = path.join(home, "pg");
  const shared = readSharedServer(home, dataDir);
  if (shared) return { url: shared, source: "embedded (shared)", close: async () => {} };

  const server = await startEmbeddedPostgres({ dataDir, port: configuredPort(env) ?? (await lastPortIfFree(home)) });
  await writeFile(lastPortFile(home), String(server.port));
  await createDatabaseIfMissing(server.url, embeddedDatabase);
  const url = withDatabase(server.url, embeddedDatabase);
  const stateFile = sharedServerFile(home);
  await writeFile(stateFile, JSON.stringify({ url, ownerPid: process.pid }));
  logger.info({ url: redact(url) }, "embedded PostgreSQL started");
  return {
    url,
    source: "embedded (started here)",
    close: async () => {
      // Synchronous, so the file is gone even when a signal handler exits the process mid-close.
      rmSync(stateFile, { force: true });
      await server.stop();
    },
  };
}

function configuredPort(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.HINDCAST_PG_PORT) return undefined;
  const port = portSchema.safeParse(env.HINDCAST_PG_PORT);
  if (!port.success) {
    throw new UserFacingError(
      `HINDCAST_PG_PORT must be a port number from 1 to 65535, got "${env.HINDCAST_PG_PORT}"`,
      "set it to a free port, or unset it to let Hindcast pick one",
    );
  }
  return port.data;
}

/** The port of the last embedded server, so URLs given to hand-started processes keep working across restarts. */
const lastPortFile = (home: string) => path.join(home, "embedded-port");

async function lastPortIfFree(home: string): Promise<number | undefined> {
  const file = lastPortFile(home);
  const port = portSchema.safeParse(existsSync(file) ? readFileSync(file, "utf8").trim() : undefined);
  return port.success && (await isPortFree(port.data)) ? port.data : undefined;
}

const sharedServerFile = (home: string) => path.join(home, "embedded.json");

/**
 * The URL of the embedded server another live Hindcast process runs. A file
 * left behind by a process that was killed is removed: its owner's pid may
 * since belong to another process, so the data directory's own lock file must
 * also name a live server on the file's port.
 */
function readSharedServer(home: string, dataDir: string): string | undefined {
  const file = sharedServerFile(home);
  if (!existsSync(file)) return undefined;
  const parsed = sharedServerSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (parsed.success && parsed.data.ownerPid === process.pid) return undefined;
  if (parsed.success && isAlive(parsed.data.ownerPid) && runningServer(dataDir)?.port === new URL(parsed.data.url).port)
    return parsed.data.url;
  rmSync(file, { force: true });
  return undefined;
}

/** Connects once, turning connection failures into one clear line. */
export async function assertConnectable(url: string, variable = "DATABASE_URL"): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw describeConnectError(error, url, variable);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    // A concurrent creator won the race: the database exists, which is all we need.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}
