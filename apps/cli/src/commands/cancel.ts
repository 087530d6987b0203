import { resolveRunIds } from "../run-ids";
import { print, withClient } from "../session";

/** `train cancel`: cancels a queued or running run (a whole id or a unique prefix) and its child runs. */
export function cancelTraining(serverOption: string | undefined, typed: string, options: { json: boolean }): Promise<number> {
  return withClient(serverOption, async (client) => {
    const [id] = (await resolveRunIds(client, [typed])) as [string];
    const result = await client.training.cancel.mutate({ id });
    print(result, options.json, () => `Run ${id}: ${result.status}${result.children ? ` (${result.children} child runs too)` : ""}`);
  });
}
