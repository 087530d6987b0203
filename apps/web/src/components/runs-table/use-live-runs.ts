"use client";
import { type InfiniteData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { isActive } from "@/components/run/types";
import { useTRPC } from "@/lib/trpc";
import type { RunRow } from "./columns";
import type { ListRunsQuery } from "./runs-view";

const activePollMs = 2_000;
const idlePollMs = 10_000;
/** New runs are looked for among this many at the head of the list. */
const headSize = 20;

type RunsPage = { runs: RunRow[]; nextCursor: string | null };

/**
 * Keeps a loaded runs list live without one SSE per row: the loaded active
 * runs are re-read by id every 2 s (compare.rows) and patched into the cached
 * pages in place; the head of the list is re-read too, and when it holds a run
 * the table has not got (a new run, or one that moved up the sort), every
 * loaded page is refetched once.
 */
export function useLiveRuns(options: {
  query: ListRunsQuery;
  runs: RunRow[];
  /** False while the list shows placeholder data of another query. */
  ready: boolean;
  listUpdatedAt: number;
  refetchList: () => void;
}) {
  const { query, runs, ready, listUpdatedAt, refetchList } = options;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const activeIds = useMemo(
    () =>
      runs
        .filter((run) => isActive(run.status))
        .slice(0, 500)
        .map((run) => run.id),
    [runs],
  );
  const live = useQuery(
    trpc.compare.rows.queryOptions(
      { ids: activeIds, metricKeys: query.metricKeys },
      { enabled: ready && activeIds.length > 0, refetchInterval: activePollMs },
    ),
  );
  const head = useQuery(
    trpc.training.list.queryOptions(
      { ...query, limit: headSize },
      { enabled: ready, refetchInterval: activeIds.length ? activePollMs : idlePollMs },
    ),
  );

  const listKey = trpc.training.list.infiniteQueryKey(query);
  const patch = (fresh: RunRow[]) => {
    const byId = new Map(fresh.map((run) => [run.id, run]));
    queryClient.setQueryData<InfiniteData<RunsPage>>(listKey, (old) =>
      old ? { ...old, pages: old.pages.map((page) => ({ ...page, runs: page.runs.map((run) => byId.get(run.id) ?? run) })) } : old,
    );
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when fresh rows arrive
  useEffect(() => {
    if (live.data && live.dataUpdatedAt > listUpdatedAt) patch(live.data);
  }, [live.data]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when a fresh head arrives
  useEffect(() => {
    if (!head.data || head.dataUpdatedAt <= listUpdatedAt) return;
    const loaded = new Set(runs.map((run) => run.id));
    if (head.data.runs.some((run) => !loaded.has(run.id))) refetchList();
    else patch(head.data.runs);
  }, [head.data]);

  return { activeCount: activeIds.length };
}
