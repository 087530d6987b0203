import type { RunProgress, StageEventRecord } from "@hindcast/contracts";
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

export type { StageEventKind, StageEventRecord } from "@hindcast/contracts";

/** The Run row's progress (RunProgress) plus where training is within its epochs. */
export interface ProgressSnapshot extends RunProgress {
  /** Current epoch, 1-based; 0 before training starts. */
  epoch: number;
  totalEpochs: number;
  /** Last finished batch of the current epoch, 1-based; 0 before its first batch. */
  batch: number;
  totalBatches: number;
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
