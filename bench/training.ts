// Training-loop benchmark: samples/s of a bare TF.js loop (shuffle + one
// optimizer step per batch) against the engine's loop on the same session and
// data (cancellation check per batch, tracker + metric sink, NaN guard,
// checkpoints, LR schedule, throttled progress), per backend and model family.
// The two alternate epoch by epoch (order flipped every pair) so the machine's
// noise hits both alike; ratios are per pair. Data: S&P 500 log returns.
import { loadBuiltinDataset } from "@hindcast/datasets";
import {
  CancellationToken,
  Checkpointer,
  MemoryMetricSink,
  NaNGuard,
  ProgressBridge,
  ReduceLROnPlateau,
  Tracker,
  TrainingLoop,
  yieldToEventLoop,
} from "@hindcast/engine";
import {
  buildModel,
  dataSpecSchema,
  fitScaler,
  makeWindows,
  modelSpecSchema,
  type NeuralModelSpec,
  neuralKinds,
  pickBackend,
  preferBackends,
  prepareSeries,
  TrainingSession,
  tf,
  trainingStepProbe,
  trainSpecSchema,
  type WindowSet,
} from "@hindcast/models";
import { nodeBackends } from "@hindcast/models/node";
import { median, percentile } from "./stats";

const pairs = Number(process.env.BENCH_PAIRS ?? 15);
/** Windows per epoch, per family, so an epoch takes a fraction of a second: recurrent nets are ~50x slower per sample. */
const windowsPerEpoch: Record<NeuralModelSpec["kind"], number> = {
  linear: 5_000,
  mlp: 5_000,
  nbeats: 5_000,
  tcn: 2_000,
  lstm: 500,
  gru: 500,
};
const window = { lookback: 28, horizon: 1 };

async function main(): Promise<void> {
  const dataset = await loadBuiltinDataset("sp500");
  const series = prepareSeries(dataset, dataSpecSchema.parse({ dataset: "sp500", target: "spx_close", transform: "logReturn" }));
  const scaler = fitScaler(series, series.dates.length);
  const windows = makeWindows(series, scaler, window, 0, series.dates.length);
  const train = trainSpecSchema.parse({ batchSize: 64 });
  const families = (process.env.BENCH_FAMILIES?.split(",") as NeuralModelSpec["kind"][] | undefined) ?? neuralKinds;
  const shape = { ...window, features: 1 };

  const bookkeepingMicros = await engineBookkeepingMicros();
  console.log(
    `Engine bookkeeping per batch with no TF work (tracker, callbacks, progress, cancel check): ${bookkeepingMicros.toFixed(2)} µs`,
  );

  const candidates = nodeBackends();
  const available: string[] = [];
  for (const candidate of candidates) {
    try {
      const choice = await pickBackend(
        preferBackends(candidates, [candidate.name]),
        trainingStepProbe(modelSpecSchema.parse({ kind: "mlp" }), shape),
      );
      available.push(choice.backend);
    } catch (error) {
      console.log(
        `backend ${candidate.name}: not available (${(error as Error).message.replace(/^No TensorFlow.js backend works here \(/, "").replace(/\)$/, "")})`,
      );
    }
  }
  console.log(
    `\nS&P 500 log returns, lookback ${window.lookback}, batch ${train.batchSize}; ${pairs} pairs of one bare and one engine epoch per cell`,
  );
  console.log("backend  family  bare samples/s (median)  engine samples/s (median)  engine/bare ratio median [p5..p95]  [goal >= 0.98]");

  for (const backend of available) {
    await tf.setBackend(backend);
    for (const kind of families) {
      const spec = modelSpecSchema.parse({ kind });
      try {
        await trainingStepProbe(spec, shape)();
      } catch (error) {
        console.log(`${backend.padEnd(8)} ${kind.padEnd(7)} cannot train here: ${(error as Error).message.split("\n")[0]}`);
        continue;
      }
      const session = new TrainingSession(buildModel(spec, shape, 1), train);
      session.setData(firstWindows(windows, windowsPerEpoch[kind]));
      await bareEpoch(session); // warm-up: kernels compiled, memory allocated
      const bare: number[] = [];
      const engine: number[] = [];
      const ratios: number[] = [];
      for (let pair = 0; pair < pairs; pair++) {
        const engineFirst = pair % 2 === 1;
        const e1 = engineFirst ? await engineEpoch(session) : 0;
        // Work the bare loop never yields for (GC, deferred callbacks) would otherwise land in the engine's timing.
        await yieldToEventLoop();
        const b = await bareEpoch(session);
        await yieldToEventLoop();
        const e = engineFirst ? e1 : await engineEpoch(session);
        bare.push(b);
        engine.push(e);
        ratios.push(e / b);
      }
      const batchMicros = (1e6 * session.batchSize) / median(bare);
      console.log(
        `${backend.padEnd(8)} ${kind.padEnd(7)} ${Math.round(median(bare)).toString().padStart(10)}  ${Math.round(median(engine)).toString().padStart(10)}  ` +
          `${median(ratios).toFixed(3)} [${percentile(ratios, 5).toFixed(3)}..${percentile(ratios, 95).toFixed(3)}]  ` +
          `bookkeeping ${((100 * bookkeepingMicros) / batchMicros).toFixed(3)}% of a ${batchMicros.toFixed(0)} µs batch`,
      );
      session.model.dispose();
      session.dispose();
    }
  }
}

function firstWindows(set: WindowSet, count: number): WindowSet {
  const n = Math.min(count, set.count);
  return {
    ...set,
    count: n,
    x: set.x.subarray(0, n * set.lookback * set.features),
    y: set.y.subarray(0, n * set.horizon),
    targetRows: set.targetRows.subarray(0, n),
  };
}

async function bareEpoch(session: TrainingSession): Promise<number> {
  const start = performance.now();
  session.startEpoch();
  for (let batch = 0; batch < session.batchesPerEpoch; batch++) await session.trainBatch(batch);
  return session.samples / ((performance.now() - start) / 1000);
}

/** Milliseconds for one epoch of the engine's loop, as a run uses it (tracker, callbacks, progress, cancel checks). */
async function timeEngineEpoch(session: TrainingSession): Promise<number> {
  const progress = new ProgressBridge({ emit: () => {} });
  progress.plan({
    training: { epochs: 1, batchesPerEpoch: session.batchesPerEpoch, batchSize: session.batchSize, itemsPerEpoch: session.samples },
    windows: [],
  });
  progress.startTraining();
  const loop = new TrainingLoop({
    session,
    tracker: new Tracker(new MemoryMetricSink()),
    epochs: 1,
    token: CancellationToken.none,
    progress,
    callbacks: [new NaNGuard(), new Checkpointer({ every: 1 }), new ReduceLROnPlateau({ factor: 1, patience: 1000 })],
  });
  const start = performance.now();
  await loop.run();
  return performance.now() - start;
}

async function engineEpoch(session: TrainingSession): Promise<number> {
  return session.samples / ((await timeEngineEpoch(session)) / 1000);
}

/**
 * The engine's own per-batch cost, isolated from TF.js noise: the real loop,
 * tracker, callbacks and progress around a stand-in session whose batches do
 * no work (bench only; the tests train for real).
 */
async function engineBookkeepingMicros(): Promise<number> {
  const batches = 200_000;
  const noWork = {
    batchesPerEpoch: batches,
    batchSize: 64,
    samples: batches * 64,
    learningRate: 1e-3,
    startEpoch() {},
    trainBatch: async () => 0.5,
    validationLoss: async () => null,
    snapshot: async () => ({ values: [], shapes: [] }),
    restore() {},
  } as unknown as TrainingSession;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(((await timeEngineEpoch(noWork)) * 1000) / batches);
  return median(runs);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
