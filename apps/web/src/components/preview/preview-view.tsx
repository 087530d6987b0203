"use client";
import type { RetrodictionResults } from "@hindcast/api";
import { defaultChartKeys, issuePath } from "@hindcast/contracts";
import { dataSpecSchema, modelKinds, retrodictionSpecSchema, trainingSpecSchema, trainSpecSchema } from "@hindcast/models/specs";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useMemo, useState } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { MetricChart } from "@/components/metric-chart";
import { RetrodictionView } from "@/components/run/retrodiction-panel";
import { ProgressBar } from "@/components/run-status";
import { errorMessage } from "@/lib/errors";
import { formatDuration, formatNumber } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { BackendReport } from "./backend-report";
import { ReplayPanel } from "./replay-panel";
import { type PreviewState, usePreviewWorker } from "./use-preview-worker";
import { type DatasetExtent, daysForEnoughPoints, minPointsPerWindow, pointsPerWindow } from "./window-points";

const transforms = dataSpecSchema.shape.transform.unwrap().options;

/** Small defaults that finish in seconds in a browser. */
const defaults = {
  dataset: "sp500",
  target: "spx_close",
  transform: "none",
  from: "",
  to: "",
  model: "linear",
  epochs: 5,
  /** The spec's default: a series with few batches per epoch trains for more epochs, up to this many steps. */
  minSteps: trainSpecSchema.parse({}).minSteps,
  lookback: 28,
  horizon: 1,
  windows: 2,
  batchSizeDays: 60,
  seed: 42,
};

/** What a queued run trains and scores when the spec leaves train and retrodiction to the schema. */
const fullDefaults = { train: trainSpecSchema.parse({}), retrodiction: retrodictionSpecSchema.parse({}) };
const fullDefaultsText = `${fullDefaults.train.epochs} epochs, ${fullDefaults.retrodiction.windows} windows of ${fullDefaults.retrodiction.batchSizeDays} days`;

export function PreviewView() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(defaults);
  const [features, setFeatures] = useState<string[]>([]);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const dataset = datasets.data?.find((d) => d.name === form.dataset);
  const columns = dataset?.columns ?? [];
  const { state, start, replay, stop } = usePreviewWorker();
  // ?backend=wasm (or a comma list) forces the order, e.g. to compare backends.
  const backends = params.get("backend")?.split(",").filter(Boolean);

  // The data and model choices; the preview's spec adds its small training and retrodiction, the full one the schema's defaults.
  const { spec, fullSpec } = useMemo(() => {
    const choices = {
      data: {
        dataset: form.dataset,
        target: form.target,
        features: features.filter((f) => f !== form.target),
        transform: form.transform,
        from: form.from || undefined,
        to: form.to || undefined,
      },
      window: { lookback: form.lookback, horizon: form.horizon },
      model: { kind: form.model },
    };
    return {
      spec: trainingSpecSchema.safeParse({
        ...choices,
        train: { epochs: form.epochs, minSteps: form.minSteps, seed: form.seed },
        retrodiction: { windows: form.windows, batchSizeDays: form.batchSizeDays },
      }),
      fullSpec: trainingSpecSchema.safeParse(choices),
    };
  }, [form, features]);
  const queue = useMutation(trpc.training.start.mutationOptions({ onSuccess: ({ id }) => router.push(`/runs/${id}`) }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!spec.success) {
      setIssues(Object.fromEntries(spec.error.issues.map((i) => [issuePath(i.path), i.message])));
      return;
    }
    setIssues({});
    const dataset = await queryClient.fetchQuery(trpc.datasets.data.queryOptions({ name: form.dataset }, { staleTime: 600_000 }));
    start(spec.data, dataset, backends);
  };

  const set = (key: keyof typeof defaults) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: typeof defaults[key] === "number" ? Number(event.target.value) : event.target.value }));
  const number = (key: keyof typeof defaults, label: string, path: string, min = 1) => (
    <label>
      {label}
      <input type="number" min={min} value={form[key]} onChange={set(key)} aria-invalid={issues[path] ? true : undefined} />
      {issues[path] && <span className="field-error">{issues[path]}</span>}
    </label>
  );

  const choice = (key: "transform" | "model", label: string, options: readonly string[]) => (
    <label>
      {label}
      <select value={form[key]} onChange={set(key)}>
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </label>
  );
  const dateInput = (key: "from" | "to", label: string, range?: { start: string | null; end: string | null }) => (
    <label>
      {label}
      <input
        type="date"
        value={form[key]}
        min={range?.start ?? undefined}
        max={range?.end ?? undefined}
        onChange={set(key)}
        aria-invalid={issues[`data.${key}`] ? true : undefined}
      />
      {issues[`data.${key}`] && <span className="field-error">{issues[`data.${key}`]}</span>}
    </label>
  );

  // The default chart's metrics; the first (the training loss) drawn even before its first point.
  const lossSeries = defaultChartKeys()
    .map((key) => ({ label: key, points: state.points.get(key) ?? [] }))
    .filter((series, index) => index === 0 || series.points.length > 0)
    .map(({ label, points }) => ({ label, x: points.map((p) => p.step), y: points.map((p) => p.value) }));
  const running = state.status === "running";
  return (
    <>
      <h1>Preview in this browser</h1>
      <p className="muted">
        Trains a small model here, on WebGPU when this browser has it, with the same pipeline, metrics and baselines as a queued run.
      </p>
      <form className="card row" onSubmit={submit} aria-label="Preview spec">
        <label>
          Dataset
          <select
            value={form.dataset}
            onChange={(e) => {
              setForm((f) => ({ ...f, dataset: e.target.value, target: "", from: "", to: "" }));
              setFeatures([]);
            }}
          >
            {datasets.data?.map((d) => (
              <option key={d.name}>{d.name}</option>
            ))}
          </select>
        </label>
        <label>
          Target
          <select value={form.target} onChange={set("target")} aria-invalid={issues["data.target"] ? true : undefined}>
            <option value="">choose…</option>
            {columns.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          {issues["data.target"] && <span className="field-error">{issues["data.target"]}</span>}
        </label>
        <fieldset className="row" aria-label="Variables">
          <legend>Variables (extra inputs)</legend>
          {columns
            .filter((c) => c !== form.target)
            .map((c) => (
              <label key={c}>
                <input
                  type="checkbox"
                  checked={features.includes(c)}
                  onChange={(e) => setFeatures((list) => (e.target.checked ? [...list, c] : list.filter((f) => f !== c)))}
                />
                {c}
              </label>
            ))}
          {issues["data.features"] && <span className="field-error">{issues["data.features"]}</span>}
        </fieldset>
        {choice("transform", "Transform", transforms)}
        {dateInput("from", "From", dataset)}
        {dateInput("to", "To", dataset)}
        {choice("model", "Model", modelKinds)}
        {number("epochs", "Epochs", "train.epochs")}
        {number("minSteps", "Min steps", "train.minSteps", 0)}
        {number("lookback", "Lookback", "window.lookback")}
        {number("horizon", "Horizon", "window.horizon")}
        {number("windows", "Windows", "retrodiction.windows")}
        {number("batchSizeDays", "Days per window", "retrodiction.batchSizeDays")}
        {number("seed", "Seed", "train.seed", -2147483648)}
        <div className="row">
          <button type="submit" className="primary" disabled={running}>
            {running ? "Training…" : "Train in this browser"}
          </button>
          <button type="button" onClick={stop} disabled={!running}>
            Stop
          </button>
          {canOperate(user) && (
            <>
              <button
                type="button"
                disabled={!fullSpec.success || queue.isPending}
                onClick={() => fullSpec.success && queue.mutate({ spec: fullSpec.data })}
                title="These data and model choices, with the spec's defaults for training and retrodiction"
              >
                Queue with the full defaults ({fullDefaultsText})
              </button>
              <button
                type="button"
                disabled={!spec.success || queue.isPending}
                onClick={() => spec.success && queue.mutate({ spec: spec.data })}
                title="This small spec as it is, on a worker"
              >
                Queue this spec as it is
              </button>
            </>
          )}
        </div>
      </form>
      {dataset && <WindowPointsWarning dataset={dataset} batchSizeDays={form.batchSizeDays} />}
      {queue.error && <p className="banner-error">{errorMessage(queue.error)}</p>}
      {state.mode === "train" && state.status !== "idle" && (
        <section className="card" aria-live="polite">
          <BackendReport choice={state.backend} />
          <ProgressBar big percent={state.progress?.percent ?? 0} label="preview progress" />
          <p data-testid="preview-status">
            <strong>{state.status}</strong> {state.progress?.message}
            {state.progress?.samplesPerSecond ? (
              <span data-testid="preview-rate"> · {formatNumber(state.progress.samplesPerSecond)} samples/s</span>
            ) : null}
            {state.durationMs ? ` · ${formatDuration(state.durationMs / 1000)}` : ""}
          </p>
          {state.message && <p className={state.status === "failed" ? "banner-error" : "muted"}>{state.message}</p>}
          <TrainingThroughput state={state} />
          <MetricChart title="Loss" testId="preview-loss-chart" series={lossSeries} />
        </section>
      )}
      {state.mode === "train" && state.results ? <RetrodictionView results={state.results as RetrodictionResults} /> : null}
      <ReplayPanel state={state} replay={replay} backends={backends} initialRunId={params.get("run") ?? undefined} />
    </>
  );
}

/**
 * Warns when the retrodiction windows hold too few rows to judge a forecast
 * (the preview's, and the full defaults' when those are short too), and says
 * how long a window must be.
 */
function WindowPointsWarning({
  dataset,
  batchSizeDays,
}: {
  dataset: DatasetExtent & { name: string; frequency: string };
  batchSizeDays: number;
}) {
  const points = pointsPerWindow(dataset, batchSizeDays);
  if (points === null || points >= minPointsPerWindow) return null;
  const defaultDays = fullDefaults.retrodiction.batchSizeDays;
  const defaultPoints = pointsPerWindow(dataset, defaultDays) ?? 0;
  return (
    <p className="banner-warn" role="status" data-testid="preview-window-warning">
      <strong>Too few points to judge:</strong> a retrodiction window of {batchSizeDays} days holds about {points} of {dataset.name}
      &apos;s {dataset.frequency} rows, and errors over fewer than {minPointsPerWindow} per window are mostly noise. Use windows of at least{" "}
      {daysForEnoughPoints(dataset)} days (Days per window)
      {defaultPoints < minPointsPerWindow && defaultDays !== batchSizeDays
        ? `; the full defaults' ${defaultDays}-day windows hold about ${defaultPoints} too`
        : ""}
      .
    </p>
  );
}

/** Samples trained over the train stage's duration (validation included): the figure to compare backends by. */
function TrainingThroughput({ state }: { state: PreviewState }) {
  const train = state.stages.find((e) => e.stage === "train" && e.kind === "SUCCEEDED");
  const samples = state.progress?.itemsDone;
  if (!train?.durationMs || !samples) return null;
  const rate = (samples / train.durationMs) * 1000;
  return (
    <p data-testid="preview-throughput" data-samples={samples} data-train-ms={train.durationMs} data-samples-per-second={rate}>
      Trained {formatNumber(samples)} samples in {formatDuration(train.durationMs / 1000)}: {formatNumber(rate)} samples/s
    </p>
  );
}
