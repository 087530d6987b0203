import type { ProgressSnapshot, ReplayPart, StageEventRecord } from "@hindcast/engine";
import type { BackendChoice, Dataset, ForecastReport, TrainingSpec, WindowResult } from "@hindcast/models";

/** Page -> preview worker. */
export type PreviewRequest =
  | {
      type: "start";
      spec: TrainingSpec;
      dataset: Dataset;
      /** Backends to try, best first (default webgpu, webgl, wasm, cpu). */
      backends?: string[];
      /** Where the page serves tfjs-backend-wasm's .wasm files. */
      wasmPath: string;
    }
  | {
      type: "replay";
      /** A finished run's spec and saved model (model.json text and weights.bin bytes); one per child of a parallel run. */
      parts: ReplayPart[];
      dataset: Dataset;
      backends?: string[];
      wasmPath: string;
    }
  | { type: "stop" };

export interface PreviewPoint {
  key: string;
  step: number;
  value: number;
  /** Milliseconds since the training started. */
  ms: number;
}

/** Preview worker -> page. */
export type PreviewMessage =
  | { type: "backend"; choice: BackendChoice }
  | { type: "progress"; progress: ProgressSnapshot }
  | { type: "stage"; event: Omit<StageEventRecord, "at"> & { at: number } }
  | { type: "metrics"; points: PreviewPoint[] }
  | {
      type: "done";
      status: "succeeded" | "cancelled" | "failed";
      /** Failure or cancel reason, one line. */
      message?: string;
      /** results.json exactly as a queued run's persist stage writes it; absent unless it succeeded. */
      results?: unknown;
      durationMs: number;
    }
  | {
      type: "replayed";
      /** The windows the saved model predicted again here, and how many the run had. */
      windows: WindowResult[];
      overall: ForecastReport;
      runWindows: number;
      durationMs: number;
    };
