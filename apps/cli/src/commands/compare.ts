import { CliError } from "../errors.mjs";
import { compareTable } from "../result-tables";
import { resolveRunIds } from "../run-ids";
import { print, withClient } from "../session";
import { verdictLine } from "../summary";

/**
 * `train compare`: a table of the runs side by side (see compareTable), then
 * each run's verdict.
 */
export function compareRuns(serverOption: string | undefined, typed: string[], options: { json: boolean }): Promise<number> {
  if (typed.length < 2) throw new CliError("compare needs at least two run ids");
  return withClient(serverOption, async (client) => {
    const ids = await resolveRunIds(client, typed);
    const result = await client.compare.runs.query({ ids });
    print(result, options.json, () => {
      const verdicts = result.runs.map((run) => `  ${run.id.slice(0, 8)}  ${verdictLine(run.resultSummary)}`);
      return [compareTable(result), "verdict", ...verdicts].join("\n");
    });
  });
}
