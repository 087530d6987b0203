"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { isActive } from "./types";

/** Calls `fn` at most once per `ms` (leading call delayed to the window's end, later calls folded into it). */
function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const last = useRef(0);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(
      () => {
        timer.current = undefined;
        last.current = Date.now();
        latest.current();
      },
      Math.max(0, last.current + ms - Date.now()),
    );
  }, [ms]);
}

export const isNotFound = (error: unknown) =>
  error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "NOT_FOUND";

/**
 * A run kept live: training.get once, then every SSE event (a full summary
 * row) merged into that cached query, and stage events and metric summaries
 * refetched at most once a second. Falls back to polling when the server
 * has no live updates. When the status changes, the run's results,
 * artifacts, metrics and child runs are refetched too.
 */
export function useLiveRun(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [polling, setPolling] = useState(false);
  const runKey = trpc.training.get.queryKey({ id });
  const run = useQuery(
    trpc.training.get.queryOptions(
      { id },
      {
        retry: (count, error) => !isNotFound(error) && count < 2,
        refetchInterval: (query) => (polling && query.state.data && isActive(query.state.data.status) ? 2_000 : false),
      },
    ),
  );
  const active = run.data ? isActive(run.data.status) : false;
  const refetchDetails = useThrottled(() => void queryClient.invalidateQueries({ queryKey: runKey, exact: true }), 1_000);

  useSubscription(
    trpc.training.events.subscriptionOptions(
      { id },
      {
        enabled: active && !polling,
        onData: ({ data }) => {
          queryClient.setQueryData(runKey, (old) => (old ? { ...old, ...data } : old));
          refetchDetails();
        },
        onError: () => setPolling(true),
      },
    ),
  );

  const status = run.data?.status;
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current && status && previous.current !== status) {
      // Cancel first: a first fetch still in flight (from before the run wrote its results) would
      // otherwise be reused by the invalidation, and its stale answer kept.
      const refresh = async (filters: { queryKey: readonly unknown[]; exact?: boolean }) => {
        await queryClient.cancelQueries(filters);
        await queryClient.invalidateQueries(filters);
      };
      void refresh({ queryKey: trpc.runs.pathKey() });
      void refresh({ queryKey: trpc.metrics.pathKey() });
      void refresh({ queryKey: trpc.training.list.pathKey() });
      void refresh({ queryKey: trpc.training.get.queryKey({ id }), exact: true });
    }
    previous.current = status;
  }, [status, id, queryClient, trpc]);

  return { run, active };
}
