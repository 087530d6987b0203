import { resolveRunIds } from "../run-ids";
import { withClient } from "../session";

/** `note`: sets a run's free-text note (an empty text clears it). */
export function setNote(serverOption: string | undefined, typed: string, text: string): Promise<number> {
  return withClient(serverOption, async (client) => {
    const [id] = (await resolveRunIds(client, [typed])) as [string];
    await client.lifecycle.setNote.mutate({ id, note: text });
    process.stdout.write(text.trim() ? `Note of run ${id} saved\n` : `Note of run ${id} cleared\n`);
  });
}
