import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "@hindcast/db";
import pg from "pg";

const workerMain = path.join(projectRoot, "apps", "worker", "src", "main.ts");

/**
 * Heartbeats, death and polling in fractions of a second, so a test sees a
 * killed worker's run handed back within seconds; a checkpoint every epoch.
 */
export const quickTimeouts = {
  WORKER_HEARTBEAT_MS: "200",
  WORKER_DEAD_AFTER_MS: "1500",
  WORKER_POLL_INTERVAL_MS: "250",
  WORKER_CHECKPOINT_INTERVAL_MS: "0",
};

export interface WorkerProcess {
  process: ChildProcess;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

interface SpawnWorkerOptions {
  /** Added to (and overriding) the worker's environment. */
  env?: Record<string, string>;
  /** The timings above (default), or the worker's own defaults, as a benchmark wants them. */
  quickTimeouts?: boolean;
}

/** A real worker process (apps/worker/src/main.ts) on wasm or cpu, resolved once it is ONLINE in the database. */
export async function spawnWorker(url: string, artifactsDir: string, options: SpawnWorkerOptions = {}): Promise<WorkerProcess> {
  // node --import tsx (not the tsx binary): one process, so its pid is the worker's and kill -9 hits it.
  const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: url,
      HINDCAST_ARTIFACTS_DIR: artifactsDir,
      HINDCAST_BACKEND: "wasm,cpu",
      WORKER_CONCURRENCY: "2",
      LOG_LEVEL: "warn",
      ...(options.quickTimeouts === false ? {} : quickTimeouts),
      ...options.env,
    },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const deadline = Date.now() + 60_000;
    while ((await pool.query(`SELECT 1 FROM "Worker" WHERE "pid" = $1 AND "status" = 'ONLINE'`, [child.pid])).rowCount === 0) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`worker did not come up:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await pool.end();
  }
  return { process: child, pid: child.pid as number, output: () => output, exited };
}

export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (worker.process.exitCode === null) worker.process.kill(signal);
  return worker.exited;
}
