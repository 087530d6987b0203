"use client";
import { trackedMetricKeys } from "@hindcast/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo, useState } from "react";
import type { SeriesX } from "@/components/chart-controls";
import { useTRPC } from "@/lib/trpc";

const maxPoints = 2_000;

interface Tail {
  steps: number[];
  values: number[];
}

/**
 * A run's series for a chart: the downsampled series once, then, on the step
 * axis of an active run, every new point appended as the SSE subscription
 * metrics.live delivers it (no polling). When the appended tail outgrows the
 * downsampled budget, the series is fetched downsampled again. Time axes of
 * an active run are polled each second instead: their x needs the server.
 */
export function useLiveSeries(runId: string, keys: string[], x: SeriesX, active: boolean) {
  const trpc = useTRPC();
  const live = active && x === "step" && keys.length > 0;
  const base = useQuery(
    trpc.metrics.series.queryOptions(
      { runIds: [runId], keys: keys.length ? keys : [trackedMetricKeys.trainLoss], x, maxPoints },
      { enabled: keys.length > 0, refetchInterval: active && !live ? 1_000 : false, placeholderData: keepPreviousData },
    ),
  );
  const [tails, setTails] = useState<Record<string, Tail>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new downsampled series already holds every point the tails had
  useEffect(() => setTails({}), [base.data]);
  const after = useMemo(() => Object.fromEntries((base.data ?? []).map((s) => [s.key, s.steps.at(-1) ?? 0])), [base.data]);

  useSubscription(
    trpc.metrics.live.subscriptionOptions(
      { runId, keys, after },
      {
        enabled: live && base.isSuccess && !base.isPlaceholderData,
        onData: ({ data }) => {
          setTails((old) => {
            const next = { ...old };
            for (const p of data) {
              const tail = next[p.key] ?? { steps: [], values: [] };
              next[p.key] = { steps: tail.steps.concat(p.steps), values: tail.values.concat(p.values) };
            }
            return next;
          });
        },
      },
    ),
  );

  const { refetch } = base;
  useEffect(() => {
    if (Object.values(tails).some((t) => t.steps.length > maxPoints)) void refetch();
  }, [tails, refetch]);

  const series = useMemo(
    () =>
      (base.data ?? []).map((s) => {
        const tail = tails[s.key];
        return tail ? { ...s, x: s.x.concat(tail.steps), steps: s.steps.concat(tail.steps), values: s.values.concat(tail.values) } : s;
      }),
    [base.data, tails],
  );
  return { series, error: base.error };
}
