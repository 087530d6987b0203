import { logger, openDatabase, prepareDatabase } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";
import { loadWorkerConfig } from "./config";
import type { WorkerStoppedMessage } from "./messages";
import { startWorker, type WorkerHandle } from "./worker";

/** Past this, a stopping worker exits anyway (its runs are reaped by the others like a crashed worker's). */
const stopDeadlineMs = 10_000;

// `npm run worker`: one worker process; SIGTERM/SIGINT hand running trainings back to the queue.
// Started by `npm start` (with an IPC channel), it also stops when that process dies.
runMain(async () => {
  // TensorFlow would give all of a GPU's memory to the first process that uses it (this one's backend probe, then one
  // trainer): the worker and its trainers, which inherit this, take what they use and share the GPU.
  process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= "true";
  let worker: WorkerHandle | undefined;
  const shutdown = () => {
    if (!worker) process.exit(0);
    logger.info("stopping: running trainings go back to the queue");
    setTimeout(() => process.exit(1), stopDeadlineMs).unref();
    void worker.stop();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  process.once("disconnect", shutdown);

  const config = loadWorkerConfig();
  const db = await openDatabase();
  await prepareDatabase(db.url);
  worker = await startWorker(db.url, config, logger);
  await worker.done;
  await db.close();
  // An open IPC channel would keep this process alive: it closes once the supervisor has the message.
  if (process.connected) {
    const stopped: WorkerStoppedMessage = { kind: "stopped", handedBack: worker.handedBack };
    process.send?.(stopped, () => process.connected && process.disconnect());
  }
});
