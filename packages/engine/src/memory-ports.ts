import { type CancellationToken, cancellableWait } from "./cancellation";
import type { ArtifactStore, Clock, MetricPointRecord, MetricSink, ProgressSnapshot, RunStore, StageEventRecord } from "./ports";

export class MemoryRunStore implements RunStore {
  readonly events: StageEventRecord[] = [];
  readonly progress: ProgressSnapshot[] = [];

  async recordStageEvent(event: StageEventRecord): Promise<void> {
    this.events.push({ ...event });
  }

  async updateProgress(progress: ProgressSnapshot): Promise<void> {
    this.progress.push({ ...progress });
  }
}

export class MemoryMetricSink implements MetricSink {
  readonly points: MetricPointRecord[] = [];

  write(points: readonly MetricPointRecord[]): void {
    // A loop, not push(...points): spreading a large batch overflows the call stack.
    for (const point of points) this.points.push(point);
  }

  async flush(): Promise<void> {}
}

export interface MemoryArtifact {
  data: Uint8Array;
  kind: string;
  contentType: string;
}

export class MemoryArtifactStore implements ArtifactStore {
  /** By URI. */
  readonly artifacts = new Map<string, MemoryArtifact>();

  async put(
    name: string,
    data: Uint8Array | string,
    meta: { kind: string; contentType: string },
  ): Promise<{ uri: string; sizeBytes: number }> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data.slice();
    const uri = `memory://${name}`;
    this.artifacts.set(uri, { data: bytes, ...meta });
    return { uri, sizeBytes: bytes.byteLength };
  }

  async get(uri: string): Promise<Uint8Array> {
    const artifact = this.artifacts.get(uri);
    if (!artifact) throw new Error(`no artifact at ${uri}`);
    return artifact.data.slice();
  }
}

interface Sleeper {
  deadline: number;
  wake: () => void;
}

/** A clock that moves only when told to: deterministic tests of backoff, throttling and rates. */
export class ManualClock implements Clock {
  #now: number;
  // Kept in deadline order; equal deadlines stay in the order they were set.
  #sleepers: Sleeper[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Sleeps of 0 ms or less resolve without an advance. */
  sleep(ms: number, token?: CancellationToken): Promise<void> {
    return cancellableWait((wake) => {
      if (ms <= 0) {
        wake();
        return () => {};
      }
      const sleeper = { deadline: this.#now + ms, wake };
      const index = this.#sleepers.findIndex((other) => other.deadline > sleeper.deadline);
      this.#sleepers.splice(index === -1 ? this.#sleepers.length : index, 0, sleeper);
      return () => {
        this.#sleepers = this.#sleepers.filter((other) => other !== sleeper);
      };
    }, token);
  }

  /** Sleeps started and not yet woken or cancelled. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** Moves time forward and wakes, in deadline order, every sleep now due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock cannot advance by ${ms} ms`);
    this.#now += ms;
    const due = this.#sleepers.filter((sleeper) => sleeper.deadline <= this.#now);
    this.#sleepers = this.#sleepers.filter((sleeper) => sleeper.deadline > this.#now);
    for (const sleeper of due) sleeper.wake();
  }
}
