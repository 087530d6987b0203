import { logger, openDatabase, prepareDatabase } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";
import { loadWorkerConfig } from "./config.js";
import { startWorker } from "./worker.js";

// `npm run worker`: one worker process; SIGTERM/SIGINT hand running trainings back to the queue.
runMain(async () => {
  const config = loadWorkerConfig();
  const db = await openDatabase();
  await prepareDatabase(db.url);
  const worker = await startWorker(db.url, config, logger);
  const shutdown = () => {
    logger.info("stopping: running trainings go back to the queue");
    void worker.stop();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  await worker.done;
  await db.close();
});
