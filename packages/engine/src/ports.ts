import { type CancellationToken, cancellableWait } from "./cancellation";

export interface Clock {
  /** Milliseconds from an arbitrary origin; only differences are meaningful. */
  now(): number;
  /** Rejects with CancelledError if the token trips while sleeping. */
  sleep(ms: number, token?: CancellationToken): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, token) =>
    cancellableWait((wake) => {
      const timer = setTimeout(wake, ms);
      return () => clearTimeout(timer);
    }, token),
};

export type StageEventKind = "STARTED" | "SUCCEEDED" | "FAILED" | "ROLLED_BACK" | "ROLLBACK_FAILED" | "CLEANED_UP" | "RECOVERY";

export interface StageEventRecord {
  stage: string;
  kind: StageEventKind;
  attempt: number;
  at: Date;
  durationMs?: number;
  message?: string;
  details?: Record<string, unknown>;
}

export interface ProgressSnapshot {
  phase: string;
  /** Current epoch, 1-based; 0 before training starts. */
  epoch: number;
  totalEpochs: number;
  /** Last finished batch of the current epoch, 1-based; 0 before its first batch. */
  batch: number;
  totalBatches: number;
  /** Batches finished across all epochs. */
  step: number;
  totalSteps: number;
  itemsDone: number;
  itemsTotal: number;
  percent: number;
  etaSeconds: number | null;
  samplesPerSecond: number | null;
  message: string;
}

export interface RunStore {
  recordStageEvent(event: StageEventRecord): Promise<void>;
  updateProgress(progress: ProgressSnapshot): Promise<void>;
}

export interface MetricPointRecord {
  key: string;
  step: number;
  value: number;
  wallTime: Date;
}

export interface MetricSink {
  write(points: readonly MetricPointRecord[]): void;
  flush(): Promise<void>;
}

export interface ArtifactStore {
  put(name: string, data: Uint8Array | string, meta: { kind: string; contentType: string }): Promise<{ uri: string; sizeBytes: number }>;
  get(uri: string): Promise<Uint8Array>;
}
