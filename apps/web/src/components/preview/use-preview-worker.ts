"use client";
import type { ProgressSnapshot, ReplayPart } from "@hindcast/engine";
import type { BackendChoice, Dataset, TrainingSpec } from "@hindcast/models";
import { useCallback, useEffect, useRef, useState } from "react";
import type { PreviewMessage, PreviewPoint, PreviewRequest } from "@/lib/preview/protocol";

export interface PreviewState {
  status: "idle" | "running" | "succeeded" | "cancelled" | "failed";
  /** Training a new model, or replaying a finished run's saved one. */
  mode: "train" | "replay";
  backend?: BackendChoice;
  progress?: ProgressSnapshot;
  stages: Extract<PreviewMessage, { type: "stage" }>["event"][];
  /** Points per metric key, in arrival order. */
  points: Map<string, PreviewPoint[]>;
  message?: string;
  results?: unknown;
  durationMs?: number;
  /** What a replay of a finished run's saved model predicted here. */
  replay?: Omit<Extract<PreviewMessage, { type: "replayed" }>, "type">;
}

/** Where the page serves tfjs-backend-wasm's .wasm files (apps/web/server.ts). */
const wasmPath = () => `${location.origin}/tfjs-wasm/`;

const idle: PreviewState = { status: "idle", mode: "train", stages: [], points: new Map() };

/** The preview's Web Worker: training never runs on the page's thread, so the page never freezes. */
export function usePreviewWorker() {
  const worker = useRef<Worker | null>(null);
  const [state, setState] = useState<PreviewState>(idle);

  useEffect(() => {
    const w = new Worker(new URL("../../lib/preview/preview.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    w.onmessage = (event: MessageEvent<PreviewMessage>) => {
      const message = event.data;
      setState((s) => {
        switch (message.type) {
          case "backend":
            return { ...s, backend: message.choice };
          case "progress":
            return { ...s, progress: message.progress };
          case "stage":
            return { ...s, stages: [...s.stages, message.event] };
          case "metrics": {
            const points = new Map(s.points);
            for (const p of message.points) points.set(p.key, [...(points.get(p.key) ?? []), p]);
            return { ...s, points };
          }
          case "replayed": {
            const { type: _, ...replay } = message;
            return { ...s, status: "succeeded", replay, durationMs: message.durationMs };
          }
          case "done":
            return { ...s, status: message.status, message: message.message, results: message.results, durationMs: message.durationMs };
        }
      });
    };
    w.onerror = (event) => setState((s) => ({ ...s, status: "failed", message: `The preview worker crashed: ${event.message}` }));
    return () => w.terminate();
  }, []);

  const start = useCallback((spec: TrainingSpec, dataset: Dataset, backends?: string[]) => {
    setState({ ...idle, status: "running", points: new Map() });
    worker.current?.postMessage({ type: "start", spec, dataset, backends, wasmPath: wasmPath() });
  }, []);
  const replay = useCallback((parts: ReplayPart[], dataset: Dataset, backends?: string[]) => {
    setState({ ...idle, status: "running", mode: "replay", points: new Map() });
    const request: PreviewRequest = { type: "replay", parts, dataset, backends, wasmPath: wasmPath() };
    worker.current?.postMessage(
      request,
      parts.flatMap((part) => (part.saved ? [part.saved.weights.buffer] : [])),
    );
  }, []);
  const stop = useCallback(() => worker.current?.postMessage({ type: "stop" }), []);
  return { state, start, replay, stop };
}
