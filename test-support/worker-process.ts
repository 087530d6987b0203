import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "@hindcast/db";
import pg from "pg";

const workerMain = path.join(projectRoot, "apps", "worker", "src", "main.ts");

export interface WorkerProcess {
  process: ChildProcess;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** A real worker process (tsx apps/worker/src/main.ts) with short heartbeat and dead timeouts. */
export async function startWorkerProcess(url: string, artifactsDir: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  // node --import tsx (not the tsx binary): one process, so its pid is the worker's and kill -9 hits it.
  const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: url,
      HINDCAST_ARTIFACTS_DIR: artifactsDir,
      HINDCAST_BACKEND: "wasm,cpu",
      WORKER_CONCURRENCY: "2",
      WORKER_HEARTBEAT_MS: "200",
      WORKER_DEAD_AFTER_MS: "1500",
      WORKER_POLL_INTERVAL_MS: "250",
      WORKER_CHECKPOINT_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
      ...env,
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
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not come up:\n${output}`);
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
