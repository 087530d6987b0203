import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { describeExit, logger, RestartBackoff, reapWorkers } from "@hindcast/db";
import { workerStoppedMessage } from "@hindcast/worker/messages";
import type pg from "pg";

const workerMain = fileURLToPath(new URL("../apps/worker/src/main.ts", import.meta.url));
/**
 * How long a worker may take to hand its runs back after SIGTERM before it
 * gets SIGKILL (its runs are then released by the reaper). With start.ts's
 * limits (dashboard 2 s, pool 1 s, database 4 s) a stop takes 10 s at most.
 */
const stopGraceMs = 3_000;

export interface FleetStop {
  /** Runs the workers handed back to the queue as they stopped. */
  handedBack: number;
  /** Workers that did not stop within the grace period and were killed (their runs go back when reaped). */
  killed: number;
}

export interface WorkerFleet {
  /** SIGTERM to every worker, SIGKILL to those still running after the grace period. */
  stop(): Promise<FleetStop>;
}

/** "workers stopped, 2 runs handed back", as `npm start` says on Ctrl-C. */
export function describeFleetStop({ handedBack, killed }: FleetStop): string {
  const runs = handedBack === 0 ? "" : `, ${handedBack === 1 ? "1 run" : `${handedBack} runs`} handed back`;
  const forced = killed > 0 ? `, ${killed} killed after ${stopGraceMs / 1000} s` : "";
  return `workers stopped${runs}${forced}`;
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
  let handedBack = 0;
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
    child.on("message", (message) => {
      const stopped = workerStoppedMessage.safeParse(message);
      if (stopped.success) handedBack += stopped.data.handedBack;
    });
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
      let killed = 0;
      await Promise.all(
        [...running.values()].map(async ({ kill, exited }) => {
          kill("SIGTERM");
          const killer = setTimeout(() => {
            killed++;
            kill("SIGKILL");
          }, stopGraceMs);
          await exited;
          clearTimeout(killer);
        }),
      );
      return { handedBack, killed };
    },
  };
}
