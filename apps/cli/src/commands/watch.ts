import { resolveRunIds } from "../run-ids";
import { withClient } from "../session";
import { watchRun } from "../watch";

/** `train watch`: follows a run (a whole id or a unique prefix) until it ends. */
export function watchTraining(serverOption: string | undefined, typed: string): Promise<number> {
  return withClient(serverOption, async (client) => {
    const [id] = (await resolveRunIds(client, [typed])) as [string];
    return watchRun(client, id);
  });
}
