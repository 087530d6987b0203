import { againstRun, fetchReplayInputs, ReplayInputError, type ReplaySource } from "@hindcast/api/replay-inputs";
import { replayRetrodiction } from "@hindcast/engine";
import { baselineNames, pickBackend, preferBackends, probeForSpec, verdictText } from "@hindcast/models";
import { nodeBackends } from "@hindcast/models/node";
import type { ApiClient } from "./client";
import type { Credentials } from "./credentials";
import { CliError, ExitCode } from "./errors.mjs";

export interface ReplayOptions {
  /** Backends to try, best first; default: the best this machine has. */
  backend?: string[];
  /** Largest relative RMSE difference per window that still counts as reproduced. */
  tolerance: number;
  json: boolean;
}

function replaySource(client: ApiClient, credentials: Credentials): ReplaySource {
  const authorization = `Bearer ${credentials.token}`;
  return {
    run: (id) => client.training.get.query({ id }),
    artifacts: (id) => client.runs.artifacts.query({ id }),
    children: async (id) => (await client.training.list.query({ parentId: id, limit: 500 })).runs.map((child) => child.id),
    results: (id) => client.runs.results.query({ id }),
    dataset: (name) => client.datasets.data.query({ name }),
    download: (url) => fetch(new URL(url, credentials.server), { headers: { authorization } }),
  };
}

const pad = (text: string, width: number) => text.padStart(width);

/**
 * A finished run's saved models predict its retrodiction again on this
 * machine, next to the numbers the worker reported: exit 0 when every
 * replayed window is within the tolerance, 1 when one is not.
 */
export async function replayRun(client: ApiClient, credentials: Credentials, id: string, options: ReplayOptions): Promise<number> {
  let inputs: Awaited<ReturnType<typeof fetchReplayInputs>>;
  try {
    inputs = await fetchReplayInputs(replaySource(client, credentials), id);
  } catch (error) {
    // The API's own errors (unknown run, bad token) are described by the caller.
    if (error instanceof ReplayInputError) throw new CliError(error.toLine(), ExitCode.usage);
    throw error;
  }
  const first = inputs.parts[0];
  if (!first) throw new CliError(`Run ${id} has no child runs to replay`, ExitCode.usage);
  const candidates = options.backend ? preferBackends(nodeBackends(), options.backend) : nodeBackends();
  const backend = await pickBackend(candidates, probeForSpec(first.spec));
  const startedAt = performance.now();
  const replay = await replayRetrodiction(inputs.parts, inputs.dataset);
  const ms = performance.now() - startedAt;

  const windows = againstRun(replay.windows, inputs.results).map((w) => ({
    window: w.window,
    rmse: w.report.rmse,
    runRmse: w.reported?.rmse ?? null,
    difference: w.difference,
  }));
  const reproduced = windows.every((w) => w.difference !== null && w.difference <= options.tolerance);
  // The overall numbers cover only the windows replayed (a refitting run saved the last window's model alone): say so.
  const covered =
    windows.length === replay.runWindows
      ? `all ${windows.length} windows`
      : `the ${windows.length === 1 ? "1 window" : `${windows.length} windows`} replayed (of ${replay.runWindows})`;
  if (options.json) {
    const { rmse, baselines, skill, verdict } = replay.overall;
    const overReplayedWindows = {
      windowCount: windows.length,
      rmse,
      naiveRmse: baselines.naive?.rmse ?? null,
      baselines: Object.fromEntries(
        baselineNames.map((name) => [name, baselines[name] ? { label: baselines[name].label, rmse: baselines[name].rmse } : null]),
      ),
      skillVsBest: verdict ? skill.rmseVsBest : null,
      verdict,
    };
    process.stdout.write(
      `${JSON.stringify({ id, backend, runWindows: replay.runWindows, windows, overReplayedWindows, reproduced }, null, 2)}\n`,
    );
  } else {
    const lines = [
      `Replayed ${windows.length} of ${replay.runWindows} windows of ${id} on ${backend.backend} in ${Math.round(ms)} ms` +
        (inputs.parts.length > 1 ? `, with the models of its ${inputs.parts.length} child runs` : ""),
      ...backend.rejected.map((r) => `  ${r.backend} not used: ${r.reason}`),
      ...(windows.length < replay.runWindows
        ? ["  The run refitted before each window: its saved model predicted only the last one, so only that one is replayed."]
        : []),
      `${"window".padEnd(8)}${"dates".padEnd(26)}${pad("RMSE run", 12)}${pad("RMSE here", 12)}${pad("difference", 12)}`,
      ...windows.map(
        (w) =>
          `${String(w.window.index + 1).padEnd(8)}${`${w.window.startDate}..${w.window.endDate}`.padEnd(26)}` +
          `${pad(w.runRmse === null ? "-" : w.runRmse.toPrecision(4), 12)}${pad(w.rmse.toPrecision(4), 12)}` +
          pad(w.difference === null ? "-" : `${(w.difference * 100).toFixed(3)}%`, 12),
      ),
      `RMSE over ${covered}: ${replay.overall.rmse.toPrecision(4)} (naive ${replay.overall.baselines.naive?.rmse.toPrecision(4) ?? "-"}). ` +
        (reproduced
          ? `Every window within ${(options.tolerance * 100).toFixed(2)}% of the run's numbers.`
          : `Not reproduced: a window differs by more than ${(options.tolerance * 100).toFixed(2)}% (or the run reported none).`),
      `Verdict over ${covered}: ${verdictText(replay.overall.verdict)}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return reproduced ? ExitCode.ok : ExitCode.runFailed;
}
