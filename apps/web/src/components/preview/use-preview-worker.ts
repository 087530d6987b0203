"use client";
import type { ProgressSnapshot } from "@hindcast/engine";
import type { BackendChoice, Dataset, TrainingSpec } from "@hindcast/models";
import { useCallback, useEffect, useRef, useState } from "react";
import type { PreviewMessage, PreviewPoint } from "@/lib/preview/protocol";

export interface PreviewState {
  status: "idle" | "running" | "succeeded" | "cancelled" | "failed";
  backend?: BackendChoice;
  progress?: ProgressSnapshot;
  stages: Extract<PreviewMessage, { type: "stage" }>["event"][];
  /** Points per metric key, in arrival order. */
  points: Map<string, PreviewPoint[]>;
  message?: string;
  results?: unknown;
  durationMs?: number;
}

const idle: PreviewState = { status: "idle", stages: [], points: new Map() };

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
    worker.current?.postMessage({ type: "start", spec, dataset, backends, wasmPath: `${location.origin}/tfjs-wasm/` });
  }, []);
  const stop = useCallback(() => worker.current?.postMessage({ type: "stop" }), []);
  return { state, start, stop };
}
