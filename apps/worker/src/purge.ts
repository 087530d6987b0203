import { purgeDeletedRuns } from "@hindcast/db";
import type { WorkerContext } from "./context";

/** purge_runs: removes the runs marked deleted, with their artifact bytes in whichever store holds them (every worker takes it). */
export function purgeTaskHandler(worker: WorkerContext) {
  return async (): Promise<void> => {
    const purged = await purgeDeletedRuns(worker.pool, (uri) => worker.artifacts.remove(uri));
    if (purged.runs) worker.log.info(purged, `purged ${purged.runs} deleted runs and ${purged.files} artifact files`);
  };
}
