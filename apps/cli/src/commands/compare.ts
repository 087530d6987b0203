import { CliError } from "../errors.mjs";
import { resolveRunIds } from "../run-ids.js";
import { print, withClient } from "../session.js";
import { baselineNames, baselineTitles, precision, runResult, signedPercent, verdictLine } from "../summary.js";
import { type Column, table } from "../table.js";

/** The stat of the retrodiction's rows: numbers over every window of the run, as `train list` shows them. */
const allWindows = "all windows";
const metricStats = ["last", "min", "max"] as const;

const cell = (value: unknown): string =>
  value === null || value === undefined ? "-" : typeof value === "string" ? value : JSON.stringify(value);

/**
 * `train compare`: a table of the runs side by side (metric | stat | one
 * column per run): the run names and the parameters that differ, the
 * retrodiction's headline and its classical baselines, and last, min and max
 * of every metric; then each run's verdict.
 */
export function compareRuns(serverOption: string | undefined, typed: string[], options: { json: boolean }): Promise<number> {
  if (typed.length < 2) throw new CliError("compare needs at least two run ids");
  return withClient(serverOption, async (client) => {
    const ids = await resolveRunIds(client, typed);
    const result = await client.compare.runs.query({ ids });
    print(result, options.json, () => {
      const results = result.runs.map((run) => runResult(run.resultSummary));
      // "-" where a run has no retrodiction result, or stored one before a baseline existed.
      const rows: string[][] = [
        ["name", "run", ...result.runs.map((run) => cell(run.name))],
        ...Object.entries(result.differing).map(([key, values]) => [key, "param", ...values.map(cell)]),
        ["RMSE", allWindows, ...results.map((r) => precision(r?.rmse))],
        ["skill vs naive", allWindows, ...results.map((r) => signedPercent(r?.skillVsNaive))],
        ["skill vs best", allWindows, ...results.map((r) => signedPercent(r?.skillVsBest))],
        ["best baseline", allWindows, ...results.map((r) => cell(r?.verdict?.bestLabel))],
        ...baselineNames.map((name) => [
          `${baselineTitles[name]} RMSE`,
          allWindows,
          ...results.map((r) => precision(r?.baselineRmse[name])),
        ]),
        ...Object.entries(result.metrics).flatMap(([key, values]) =>
          metricStats.map((stat) => [key, stat, ...values.map((v) => precision(v?.[stat]))]),
        ),
      ];
      const columns: Column[] = [
        { header: "metric" },
        { header: "stat" },
        ...result.runs.map((run) => ({ header: run.id.slice(0, 8), maxWidth: 36 })),
      ];
      const verdicts = result.runs.map((run, i) => `  ${run.id.slice(0, 8)}  ${verdictLine(results[i] ?? null)}`);
      return [table(columns, rows), "verdict", ...verdicts].join("\n");
    });
  });
}
