import { createInterface } from "node:readline/promises";
import type { ApiClient } from "./client.js";
import { ExitCode } from "./errors.js";

type Run = Awaited<ReturnType<ApiClient["training"]["get"]["query"]>>;
const terminal = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

function bar(percent: number, width = 24): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

function describe(run: Run): string {
  const eta = run.etaSeconds === null || run.etaSeconds === undefined ? "" : ` ETA ${Math.round(run.etaSeconds)}s`;
  const rate = run.samplesPerSecond ? ` ${Math.round(run.samplesPerSecond)} samples/s` : "";
  const loss = run.metrics.find((m) => m.key === "train_loss");
  const val = run.metrics.find((m) => m.key === "val_loss");
  const metrics = [loss && `loss ${loss.last.toPrecision(4)}`, val && `val ${val.last.toPrecision(4)}`].filter(Boolean).join(" ");
  return `${run.status.padEnd(10)} ${bar(run.percent)} ${run.percent.toFixed(1).padStart(5)}% ${run.phase ?? ""} ${run.message ?? ""}${eta}${rate}${metrics ? ` · ${metrics}` : ""}`;
}

/**
 * Follows a run until it ends: a live line on a terminal, one line per change
 * otherwise. Ctrl-C asks whether to cancel the run or only stop watching.
 */
export async function watchRun(client: ApiClient, id: string, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  let stop = false;
  const onInterrupt = async () => {
    if (!process.stdin.isTTY) {
      stop = true;
      return;
    }
    const rl = createInterface({ input: process.stdin, output: out });
    const answer = await rl.question("\nCancel the run too? [y/N] ");
    rl.close();
    if (/^y/i.test(answer)) await client.training.cancel.mutate({ id });
    stop = true;
  };
  process.on("SIGINT", onInterrupt);
  let last = "";
  try {
    for (;;) {
      const run = await client.training.get.query({ id });
      const line = describe(run);
      if (line !== last) {
        out.write(out.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
        last = line;
      }
      if (terminal.has(run.status)) {
        if (out.isTTY) out.write("\n");
        const summary = run.resultSummary as { overall?: { rmse?: number }; baselines?: { naiveRmse?: number } } | null;
        if (run.status === "SUCCEEDED" && summary?.overall?.rmse !== undefined) {
          out.write(`RMSE ${summary.overall.rmse.toPrecision(4)} vs naive ${summary.baselines?.naiveRmse?.toPrecision(4)}\n`);
        }
        if (run.status === "FAILED") out.write(`error: ${run.message}\n`);
        return run.status === "SUCCEEDED" ? ExitCode.ok : ExitCode.runFailed;
      }
      if (stop) return ExitCode.ok;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
