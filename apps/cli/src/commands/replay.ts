import { CliError } from "../errors.mjs";
import { replayRun } from "../replay";
import { resolveRunIds } from "../run-ids";
import { withClient } from "../session";

/** `train replay`: a finished run's saved models predict its retrodiction again here; exit 1 when a window differs. */
export function replayTraining(
  serverOption: string | undefined,
  typed: string,
  options: { backend?: string[]; tolerance: string; json: boolean },
): Promise<number> {
  const tolerance = Number(options.tolerance);
  if (!(tolerance >= 0)) throw new CliError(`--tolerance ${options.tolerance}: use a fraction such as 0.005 (0.5%)`);
  return withClient(serverOption, async (client, credentials) => {
    const [id] = (await resolveRunIds(client, [typed])) as [string];
    return replayRun(client, credentials, id, { backend: options.backend, tolerance, json: options.json });
  });
}
