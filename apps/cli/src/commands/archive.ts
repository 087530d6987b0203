import { resolveRunIds } from "../run-ids";
import { print, withClient } from "../session";

/** `archive` and `restore`: runs (whole ids or unique prefixes) leave the runs list, kept whole, or come back to it. */
function setArchived(action: "archive" | "restore") {
  return (serverOption: string | undefined, typed: string[], options: { json: boolean }): Promise<number> =>
    withClient(serverOption, async (client) => {
      const ids = await resolveRunIds(client, typed);
      const result = await client.lifecycle[action].mutate({ ids });
      const unchanged = ids.length - result.changed;
      const verb = action === "archive" ? "Archived" : "Restored";
      print(
        result,
        options.json,
        () =>
          `${verb} ${result.changed} of ${ids.length} runs${unchanged ? ` (${unchanged} already ${action === "archive" ? "archived" : "listed"})` : ""}`,
      );
    });
}

export const archiveRuns = setArchived("archive");
export const restoreRuns = setArchived("restore");
