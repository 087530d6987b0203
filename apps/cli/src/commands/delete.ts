import { createInterface } from "node:readline/promises";
import { CliError } from "../errors.mjs";
import { resolveRunIds } from "../run-ids";
import { print, withClient } from "../session";

const count = (n: number, one: string) => `${n.toLocaleString("en")} ${one}${n === 1 ? "" : "s"}`;

function mebibytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function confirmed(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/**
 * `delete`: says what deleting the runs (with their child runs) frees, asks
 * (unless --yes), then deletes them; a worker removes their data and artifact
 * bytes right after. Admins only; active runs must be cancelled first.
 */
export function deleteRuns(serverOption: string | undefined, typed: string[], options: { yes: boolean; json: boolean }): Promise<number> {
  return withClient(serverOption, async (client) => {
    const ids = await resolveRunIds(client, typed);
    const preview = await client.lifecycle.deletePreview.query({ ids });
    if (preview.active) {
      const named = preview.activeRuns.map((run) => `${run.id.slice(0, 8)} (${run.status})`).join(", ");
      throw new CliError(`${count(preview.active, "run")} still active: ${named}. Fix: cancel them first (hindcast train cancel <id>)`);
    }
    process.stderr.write(
      `Deleting ${count(preview.runs, "run")} frees ${count(preview.metricPoints, "metric point")}, ${count(preview.logLines, "log line")} and ${mebibytes(preview.artifactBytes)} of artifacts (${count(preview.artifacts, "file")}, ${count(preview.checkpoints, "checkpoint")}).\n`,
    );
    if (!options.yes) {
      if (!process.stdin.isTTY) throw new CliError("Not deleted: nobody to ask. Fix: add --yes to delete without asking");
      if (!(await confirmed("Delete them for good? [y/N] "))) throw new CliError("Not deleted");
    }
    const result = await client.lifecycle.delete.mutate({ ids });
    print(result, options.json, () => `Deleted ${count(result.changed, "run")}; a worker removes their data and artifacts now`);
  });
}
