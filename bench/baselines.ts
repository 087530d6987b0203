// Forecast quality against the classical bar, and what the bar costs. For
// each reference series (issue 12's three, and any set with BENCH_SERIES), a
// default-spec run in process (real TF.js, wasm/cpu) reports the model's RMSE
// next to every baseline's on the same windows and the ratio to the best of
// AR, ARIMA, ETS and Theta; then the share of the run's wall time the
// baselines took, and each family's fit time per window. BENCH_RUNS runs per
// series (default 3) give the medians and p95s.
import { loadBuiltinDataset } from "@hindcast/datasets";
import {
  buildTrainingPipeline,
  CancellationSource,
  createTrainingContext,
  MemoryArtifactStore,
  MemoryMetricSink,
  MemoryRunStore,
} from "@hindcast/engine";
import {
  type BaselineName,
  baselineNames,
  pickBackend,
  preferBackends,
  probeForSpec,
  type TrainingSpecInput,
  trainingSpecSchema,
} from "@hindcast/models";
import { nodeBackends } from "@hindcast/models/node";
import { median, percentile } from "./stats";

const series: Record<string, TrainingSpecInput> = {
  seattle_weather: { data: { dataset: "seattle_weather", target: "temp_max" }, retrodiction: { batchSizeDays: 90, windows: 6 } },
  co2: { data: { dataset: "co2", target: "co2" }, retrodiction: { batchSizeDays: 365, windows: 6 } },
  sp500: { data: { dataset: "sp500", target: "spx_close", transform: "logReturn" }, retrodiction: { batchSizeDays: 30, windows: 12 } },
};
const runs = Number(process.env.BENCH_RUNS ?? 3);
// BENCH_MODEL / BENCH_TRAIN (JSON) put another model or training section against the same bar.
const overrides = {
  ...(process.env.BENCH_MODEL ? { model: JSON.parse(process.env.BENCH_MODEL) } : {}),
  ...(process.env.BENCH_TRAIN ? { train: JSON.parse(process.env.BENCH_TRAIN) } : {}),
} as Partial<TrainingSpecInput>;
const classical: BaselineName[] = ["ar", "arima", "ets", "theta"];

async function runOnce(input: TrainingSpecInput) {
  const spec = trainingSpecSchema.parse({ ...input, ...overrides });
  const store = new MemoryRunStore();
  const ctx = createTrainingContext(spec, {
    store,
    metrics: new MemoryMetricSink(),
    artifacts: new MemoryArtifactStore(),
    datasets: { load: loadBuiltinDataset },
    pickBackend: (s) => pickBackend(preferBackends(nodeBackends(), ["wasm", "cpu"]), probeForSpec(s)),
  });
  const started = performance.now();
  const outcome = await buildTrainingPipeline("retrodiction", { store }).execute(ctx, { token: new CancellationSource().token });
  const wallMs = performance.now() - started;
  if (outcome.status !== "succeeded" || !ctx.state.report) throw new Error(`run failed: ${JSON.stringify(outcome)}`);
  const fitMs: Partial<Record<BaselineName, number[]>> = {};
  for (const w of ctx.state.results) {
    for (const name of baselineNames) {
      const b = w.predictions.baselines[name];
      if ("fitMs" in b) fitMs[name] = [...(fitMs[name] ?? []), b.fitMs];
    }
  }
  const baselineMs = Object.values(fitMs)
    .flat()
    .reduce((a, b) => a + b, 0);
  return { report: ctx.state.report, wallMs, baselineMs, fitMs };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const selected = process.env.BENCH_SERIES?.split(",") ?? Object.keys(series);
const fitTimes: Partial<Record<BaselineName, number[]>> = {};
console.log(`Default model against the classical bar (${runs} runs per series; RMSE of the first run, time shares over all)`);
for (const name of selected) {
  const input = series[name];
  if (!input) throw new Error(`unknown series ${name}: choose from ${Object.keys(series).join(", ")}`);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(input));
  const { report } = results[0] as (typeof results)[number];
  const best = Math.min(...classical.map((b) => report.baselines[b]?.rmse ?? Number.POSITIVE_INFINITY));
  const cells = baselineNames.map(
    (b) => `${b} ${report.baselines[b]?.rmse.toPrecision(4) ?? "n/a"} (${report.baselines[b]?.label ?? report.unavailable[b]})`,
  );
  console.log(`\n${name}: model RMSE ${report.rmse.toPrecision(4)}; ${cells.join("; ")}`);
  console.log(
    `  ratio to the best of AR/ARIMA/ETS/Theta ${(report.rmse / best).toFixed(3)}; skill vs naive ${pct(report.skill.rmseVsNaive)}; ` +
      `verdict: ${report.verdict?.beatsAll ? "beats every baseline" : `loses to ${report.verdict?.beatenBy.join(", ")}`}; ` +
      `95% coverage ${report.intervals ? pct(report.intervals.coverage95) : "n/a"}`,
  );
  const shares = results.map((r) => r.baselineMs / r.wallMs);
  console.log(
    `  baselines' share of the run's wall time: median ${pct(median(shares))}, p95 ${pct(percentile(shares, 95))} ` +
      `(run wall median ${(median(results.map((r) => r.wallMs)) / 1000).toFixed(2)} s)`,
  );
  for (const r of results) {
    for (const [b, times] of Object.entries(r.fitMs)) fitTimes[b as BaselineName] = [...(fitTimes[b as BaselineName] ?? []), ...times];
  }
}
console.log("\nFit + forecast time per window, all series:");
for (const b of baselineNames) {
  const times = fitTimes[b] ?? [];
  console.log(
    `  ${b.padEnd(14)} median ${median(times).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms (${times.length} windows)`,
  );
}
