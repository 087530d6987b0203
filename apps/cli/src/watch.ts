import { createInterface } from "node:readline/promises";
import { isTerminalStatus, type RunSummary, trackedMetricKeys } from "@hindcast/contracts";
import type { ApiClient } from "./client";
import { ExitCode } from "./errors.mjs";
import { precision, signedPercent, verdictLine } from "./summary";

/** What watching needs of a run: training.get's answer, or an event of training.events. */
type Run = Omit<Awaited<ReturnType<ApiClient["training"]["get"]["query"]>>, "stages" | "spec" | "note">;

function bar(percent: number, width = 24): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

function describe(run: Run): string {
  const eta = run.etaSeconds === null || run.etaSeconds === undefined ? "" : ` ETA ${Math.round(run.etaSeconds)}s`;
  const rate = run.samplesPerSecond ? ` ${Math.round(run.samplesPerSecond)} samples/s` : "";
  const loss = run.metrics.find((m) => m.key === trackedMetricKeys.trainLoss);
  const val = run.metrics.find((m) => m.key === trackedMetricKeys.valLoss);
  const metrics = [loss && `loss ${loss.last.toPrecision(4)}`, val && `val ${val.last.toPrecision(4)}`].filter(Boolean).join(" ");
  return `${run.status.padEnd(10)} ${bar(run.percent)} ${run.percent.toFixed(1).padStart(5)}% ${run.phase ?? ""} ${run.message ?? ""}${eta}${rate}${metrics ? ` · ${metrics}` : ""}`;
}

/** A finished retrodiction: its RMSE against the naive forecast's, and (runs judged against every classical baseline) the verdict. */
function resultLines(summary: RunSummary): string {
  const { overall, baselines } = summary;
  const rmse = `RMSE ${precision(overall?.rmse)} vs naive ${precision(baselines?.naiveRmse)} (${signedPercent(overall?.skill.rmseVsNaive)})`;
  return summary.verdict === undefined ? rmse : `${rmse}\nVerdict: ${verdictLine(summary)}`;
}

/** Ctrl-C on a terminal asks; without one it only stops watching. Resolves "cancel" or "detach". */
async function askOnInterrupt(out: NodeJS.WriteStream): Promise<"cancel" | "detach"> {
  if (!process.stdin.isTTY) return "detach";
  const rl = createInterface({ input: process.stdin, output: out });
  try {
    // A second Ctrl-C at the prompt means "just let me go".
    const answer = await new Promise<string>((resolve) => {
      rl.once("SIGINT", () => resolve(""));
      rl.question("\nCancel the run too? [y/N] ").then(resolve, () => resolve(""));
    });
    return /^y/i.test(answer.trim()) ? "cancel" : "detach";
  } finally {
    rl.close();
  }
}

/**
 * The run as its SSE events (training.events) bring it, waking the watch loop
 * on each; at least every `idleMs` the loop reads it with training.get in
 * case the stream went quiet, and every 500 ms when the server has no live
 * updates.
 */
function runChanges(client: ApiClient, id: string, idleMs = 5_000) {
  let pending = true;
  let live = true;
  let lastAt = 0;
  let latest: Run | undefined;
  let wake: (() => void) | undefined;
  const nudge = () => {
    pending = true;
    wake?.();
  };
  const subscription = client.training.events.subscribe(
    { id },
    {
      onData: ({ data }) => {
        latest = data;
        nudge();
      },
      onError: () => {
        live = false;
        nudge();
      },
    },
  );
  return {
    nudge,
    /** The newest event's run, once; otherwise read afresh. */
    read: async (): Promise<Run> => {
      const run = latest ?? (await client.training.get.query({ id }));
      latest = undefined;
      return run;
    },
    /** Resolves at the next change (at once if one came since the last call), at most every 250 ms: a fast run sends many events. */
    next: async () => {
      if (!pending) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, live ? idleMs : 500);
        });
        wake = undefined;
      }
      const wait = lastAt + 250 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastAt = Date.now();
      pending = false;
    },
    close: () => subscription.unsubscribe(),
  };
}

/**
 * Follows a run until it ends: a live line on a terminal, one line per change
 * otherwise. Ctrl-C asks whether to cancel the run (then it follows the run to
 * CANCELLED) or only stop watching (exit 0, the run goes on).
 */
export async function watchRun(client: ApiClient, id: string, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  let detached = false;
  let prompting = false;
  const onInterrupt = async () => {
    if (prompting) return;
    prompting = true;
    const choice = await askOnInterrupt(out);
    if (choice === "cancel") {
      try {
        const { status } = await client.training.cancel.mutate({ id });
        out.write(`Cancelling ${id} (${status})\n`);
      } catch (error) {
        out.write(`Could not cancel ${id}: ${(error as Error).message}. Still watching.\n`);
      }
    } else {
      detached = true;
      out.write(`Stopped watching; the run goes on. Follow it again with: hindcast train watch ${id}\n`);
    }
    prompting = false;
    changes.nudge();
  };
  const changes = runChanges(client, id);
  process.on("SIGINT", onInterrupt);
  let last = "";
  try {
    for (;;) {
      await changes.next();
      const run = await changes.read();
      const line = describe(run);
      if (line !== last && !prompting) {
        out.write(out.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
        last = line;
      }
      if (isTerminalStatus(run.status) && !prompting) {
        if (out.isTTY) out.write("\n");
        const summary = run.resultSummary;
        if (run.status === "SUCCEEDED" && summary?.overall?.rmse != null) out.write(`${resultLines(summary)}\n`);
        if (run.status === "FAILED") out.write(`error: ${run.message}\n`);
        return run.status === "SUCCEEDED" ? ExitCode.ok : ExitCode.runFailed;
      }
      if (detached) return ExitCode.ok;
    }
  } finally {
    changes.close();
    process.off("SIGINT", onInterrupt);
  }
}
