import type { RouterOutputs } from "@hindcast/api";
import { metricEntry } from "@hindcast/contracts";
import type { ApiClient } from "../client";
import { CliError, ExitCode } from "../errors.mjs";
import { print, withClient } from "../session";
import { readSweepFile } from "../spec-file";
import { formatMetric } from "../summary";
import { table } from "../table";

type SweepDetails = RouterOutputs["sweeps"]["get"];

const endedStatuses = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
/** A value of the sweep's metric as the catalog formats it (a skill as a signed percentage). */
const metricValue = (metric: string | undefined, value: number | null | undefined) =>
  formatMetric(value, (metric && metricEntry(metric)?.format) || "number");

/** Trials by status, in one line: "3 RUNNING, 12 STOPPED, 4 SUCCEEDED". */
const countsLine = (counts: Record<string, number | undefined>) =>
  Object.entries(counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ") || "no trials yet";

function sweepLine(sweep: SweepDetails): string {
  const metric = sweep.spec?.metric ?? "objective";
  const best = sweep.bestValue === null ? "no best yet" : `best ${metric} ${metricValue(metric, sweep.bestValue)}`;
  return `Sweep ${sweep.id} ${sweep.status}: ${sweep.trialsStarted}/${sweep.trialsPlanned ?? "?"} trials started (${countsLine(sweep.counts)}); ${best}`;
}

/** `sweep start`: checks a sweep file (file:line errors) and starts it; --watch follows it. */
export function startSweep(serverOption: string | undefined, file: string, options: { watch: boolean; json: boolean }): Promise<number> {
  const sweep = readSweepFile(file);
  return withClient(serverOption, async (client) => {
    const started = await client.sweeps.start.mutate(sweep as never);
    print(started, options.json, () => `Started sweep ${started.id}: ${started.trials} trials`);
    if (options.watch) return follow(client, started.id);
  });
}

/** `sweep list`: sweeps, newest first. */
export function listSweeps(serverOption: string | undefined, options: { json: boolean }): Promise<number> {
  return withClient(serverOption, async (client) => {
    const sweeps = await client.sweeps.list.query({ limit: 50 });
    print(sweeps, options.json, () =>
      table(
        [
          { header: "ID" },
          { header: "NAME", maxWidth: 30 },
          { header: "STATUS" },
          { header: "TRIALS" },
          { header: "BEST", align: "right" },
          { header: "CREATED" },
        ],
        sweeps.map((s) => [
          s.id,
          s.name ?? "",
          s.status,
          countsLine(s.counts),
          metricValue(s.metric ?? undefined, s.bestValue),
          new Date(s.createdAt).toISOString().slice(0, 16),
        ]),
      ),
    );
  });
}

/** Prints the sweep's line whenever it changes, until it ends; exit 1 when it did not succeed. */
async function follow(client: ApiClient, id: string): Promise<number> {
  let last = "";
  for (;;) {
    const sweep = await client.sweeps.get.query({ id });
    const line = sweepLine(sweep);
    if (line !== last) process.stdout.write(`${line}\n`);
    last = line;
    if (endedStatuses.has(sweep.status)) return sweep.status === "SUCCEEDED" ? ExitCode.ok : ExitCode.runFailed;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/** `sweep watch`: follows a sweep until it ends. */
export function watchSweep(serverOption: string | undefined, id: string): Promise<number> {
  return withClient(serverOption, (client) => follow(client, id));
}

/** `sweep pause|resume|cancel`. */
export function changeSweep(
  serverOption: string | undefined,
  action: "pause" | "resume" | "cancel",
  id: string,
  options: { json: boolean },
): Promise<number> {
  return withClient(serverOption, async (client) => {
    const changed = await client.sweeps[action].mutate({ id });
    print(
      changed,
      options.json,
      () => `Sweep ${id}: ${changed.status}${changed.cancelled ? ` (${changed.cancelled} trials cancelled)` : ""}`,
    );
  });
}

/** `sweep best`: the best trial so far, its config and objective; exit 1 when there is none yet. */
export function bestOfSweep(serverOption: string | undefined, id: string, options: { json: boolean }): Promise<number> {
  return withClient(serverOption, async (client) => {
    const sweep = await client.sweeps.get.query({ id });
    const best = sweep.trials.find((t) => t.runId === sweep.bestRunId);
    if (!best) throw new CliError(`Sweep ${id} has no best trial yet (${countsLine(sweep.counts)}). Fix: wait until a trial succeeds`);
    const answer = {
      sweepId: sweep.id,
      metric: sweep.spec?.metric,
      value: sweep.bestValue,
      trial: best.number,
      runId: best.runId,
      config: best.trial,
    };
    print(answer, options.json, () =>
      [
        `Best trial #${best.number} (run ${best.runId}): ${answer.metric} ${metricValue(answer.metric, sweep.bestValue)}`,
        ...Object.entries(best.trial ?? {}).map(([path, value]) => `  ${path}: ${JSON.stringify(value)}`),
        `Trials: ${sweep.trials.length}; ${sweep.importance ? `importance: ${sweep.importance.map((i) => `${i.path} ${(i.importance * 100).toFixed(0)}%`).join(", ")}` : "importance after more trials end"}`,
      ].join("\n"),
    );
  });
}
