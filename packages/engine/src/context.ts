import type {
  BackendChoice,
  Dataset,
  FittedForecaster,
  ForecastReport,
  LinearFit,
  PreparedSeries,
  RetrodictionWindow,
  reportHeadline,
  Scaler,
  TrainingSession,
  TrainingSpec,
  WindowResult,
} from "@hindcast/models";
import type { Callback } from "./callbacks";
import type { ArtifactStore, Clock, MetricSink, RunStore } from "./ports";
import type { ProgressBridge } from "./progress";
import type { RecoveryPolicy } from "./recovery";
import type { Tracker } from "./tracker";
import type { Checkpoint, TrainingLoop } from "./trainer";

export interface DatasetSource {
  load(name: string): Promise<Dataset>;
}

/** Everything a training pipeline needs from the outside world. */
export interface TrainingPorts {
  store: RunStore;
  metrics: MetricSink;
  artifacts: ArtifactStore;
  datasets: DatasetSource;
  /** Picks (and activates) the TF.js backend for this spec's model. */
  pickBackend(spec: TrainingSpec): Promise<BackendChoice>;
  clock?: Clock;
  recovery?: RecoveryPolicy;
  /** Resume the main training from this checkpoint (a crashed or released attempt's last one). */
  resumeFrom?: Checkpoint;
  /** Persist checkpoints at most this often (ms); default 0, every one. */
  checkpointIntervalMs?: number;
  /** Called with every checkpoint persisted (record it to resume after a crash). */
  onCheckpoint?(checkpoint: Checkpoint, uri: string): Promise<void> | void;
  /** Extra callbacks for the main training, after the standard ones (NaN guard, checkpoints, LR schedule, early stopping). */
  callbacks?: readonly Callback[];
  /** Throttle for progress reports; default 250 ms (4 per second). */
  progressIntervalMs?: number;
}

/** State the stages hand to each other. */
export interface TrainingState {
  backend?: BackendChoice;
  series?: PreparedSeries;
  windows?: RetrodictionWindow[];
  scaler?: Scaler;
  session?: TrainingSession;
  loop?: TrainingLoop;
  tracker?: Tracker;
  progress?: ProgressBridge;
  results: WindowResult[];
  report?: ForecastReport;
  artifacts: { name: string; kind: string; uri: string; sizeBytes: number }[];
  timings: Record<string, number>;
  stopReason?: string;
  resultSummary?: ResultSummary;
  /**
   * The least-squares fit of a linear model's last (re)fit, when it had one;
   * refinedBySgd when training then improved on it (later windows then refit by SGD).
   */
  linearFit?: LinearFit & { refinedBySgd?: boolean };
  /** A classical model's fit before each window (its saved "model"). */
  statisticalFits?: { window: number; label: string; params: FittedForecaster["params"] }[];
}

export interface ResultSummary {
  model: string;
  backend: string;
  windows: number;
  overall: ReturnType<typeof reportHeadline>["overall"];
  baselines: ReturnType<typeof reportHeadline>["baselines"];
  bestValLoss: number | null;
  /** How a linear model's least-squares start was chosen (null for other families or `fit: sgd`). */
  linearFit: LinearFit | null;
  steps: number;
}

export interface TrainingContext {
  spec: TrainingSpec;
  ports: TrainingPorts;
  state: TrainingState;
}

export function createTrainingContext(spec: TrainingSpec, ports: TrainingPorts): TrainingContext {
  return { spec, ports, state: { results: [], artifacts: [], timings: {} } };
}
