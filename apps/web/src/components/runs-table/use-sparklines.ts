"use client";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { isActive } from "@/components/run/types";
import { useTRPC } from "@/lib/trpc";
import type { RunRow } from "./columns";
import type { Sparkline } from "./trend-cell";

/** Rows per sparklines request: whole blocks, so scrolling a little asks for nothing new. */
const blockSize = 50;
const points = 48;
/** How often the sparklines of a block with a running run are read again. */
const liveMs = 5_000;

type SparklineRow = Sparkline & { runId: string };
/** Module-level, so useQueries re-runs it only when a result changed. */
const byRun = (results: { data?: SparklineRow[] }[]): ReadonlyMap<string, Sparkline> =>
  new Map(results.flatMap((result) => result.data ?? []).map((line) => [line.runId, line]));

/**
 * Sparklines of `metric` for the rows from `first` to `last` (the rows in
 * view), one request per block of 50 rows. Blocks with active runs refresh
 * every few seconds, and once more when a run in view ends.
 */
export function useSparklines(rows: RunRow[], first: number, last: number, metric: string | undefined): ReadonlyMap<string, Sparkline> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const blocks: RunRow[][] = [];
  if (metric && last >= first) {
    for (let start = Math.floor(first / blockSize) * blockSize; start <= last; start += blockSize) {
      blocks.push(rows.slice(start, start + blockSize));
    }
  }
  const lines = useQueries({
    queries: blocks.map((block) => ({
      ...trpc.metrics.sparklines.queryOptions({ runIds: block.map((run) => run.id), key: metric ?? "", points }),
      refetchInterval: block.some((run) => isActive(run.status)) ? liveMs : (false as const),
    })),
    combine: byRun,
  });

  const inView = blocks.flat();
  const activeInView = inView
    .filter((run) => isActive(run.status))
    .map((run) => run.id)
    .join(",");
  const previousActive = useRef(activeInView);
  const inViewIds = inView.map((run) => run.id).join(",");
  useEffect(() => {
    // A run in view that just ended has its last points stored: read them rather than wait for nothing.
    const active = new Set(activeInView.split(","));
    const shown = new Set(inViewIds.split(","));
    const ended = previousActive.current.split(",").some((id) => id && !active.has(id) && shown.has(id));
    previousActive.current = activeInView;
    if (ended) void queryClient.invalidateQueries(trpc.metrics.sparklines.pathFilter());
  }, [activeInView, inViewIds, queryClient, trpc]);

  return lines;
}
