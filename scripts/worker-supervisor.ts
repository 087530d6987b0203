import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { describeExit, logger, RestartBackoff, reapWorkers } from "@hindcast/db";
import type pg from "pg";

const workerMain = fileURLToPath(new URL("../apps/worker/src/main.ts", import.meta.url));
/** How long a worker may take to hand its runs back after SIGTERM before it gets SIGKILL. */
const stopGraceMs = 5_000;

export interface WorkerFleet {
  /** SIGTERM to every worker, SIGKILL to those still running after the grace period. */
  stop(): Promise<void>;
}

/**
 * Runs `count` worker processes (`node --import tsx apps/worker/src/main.ts`)
 * and replaces any that exits while the fleet is up, with exponential backoff
 * per slot. The dead one's row is marked DEAD with the exit, and the jobs of
 * its runs released at once, so another worker resumes them without waiting
 * for the heartbeat timeout.
 */
export function superviseWorkers(count: number, databaseUrl: string, pool: pg.Pool): WorkerFleet {
  let stopping = false;
  const running = new Map<number, { kill: (signal: NodeJS.Signals) => void; exited: Promise<void> }>();
  const pendingRestarts = new Set<NodeJS.Timeout>();

  const start = (backoff: RestartBackoff) => {
    const startedAt = Date.now();
    // node itself (not npm) so the worker gets our SIGTERM; the IPC channel lets it notice when this process dies.
    const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    const pid = child.pid as number;
    const exited = new Promise<void>((resolve) =>
      child.once("exit", (code, signal) => {
        running.delete(pid);
        resolve();
        if (!stopping) void replace(pid, describeExit(code, signal), Date.now() - startedAt, backoff);
      }),
    );
    running.set(pid, { kill: (signal) => child.kill(signal), exited });
  };

  const replace = async (pid: number, exit: string, upMs: number, backoff: RestartBackoff) => {
    const delay = backoff.next(upMs);
    logger.error({ pid }, `worker ${pid} exited unexpectedly (${exit}); starting a new one in ${delay} ms`);
    try {
      const reaped = await reapWorkers(pool, { pid, hostname: os.hostname() }, `${exit}; restarted by the supervisor`);
      if (reaped.unlockedJobs) logger.warn({ pid, ...reaped }, `released the runs of worker ${pid}`);
    } catch (error) {
      logger.warn({ err: error, pid }, `could not mark worker ${pid} dead; the heartbeat reaper will`);
    }
    if (stopping) return;
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      start(backoff);
    }, delay);
    pendingRestarts.add(timer);
  };

  for (let i = 0; i < count; i++) start(new RestartBackoff({ firstMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 }));

  return {
    stop: async () => {
      stopping = true;
      for (const timer of pendingRestarts) clearTimeout(timer);
      await Promise.all(
        [...running.values()].map(async ({ kill, exited }) => {
          kill("SIGTERM");
          const killer = setTimeout(() => kill("SIGKILL"), stopGraceMs);
          await exited;
          clearTimeout(killer);
        }),
      );
    },
  };
}
