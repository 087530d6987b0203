"use client";
import { compareRunsInput } from "@hindcast/api/schemas";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { isActive } from "@/components/run/types";
import { StatusChip } from "@/components/run-status";
import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import styles from "./compare.module.css";
import { MetricsTable } from "./metrics-table";
import { OverlayCharts } from "./overlay-charts";
import { ParamDiff } from "./param-diff";
import { ParamParallel } from "./param-parallel";
import { ParamScatter } from "./param-scatter";
import { runLabel } from "./types";
import { differingWindows } from "./window-check";

/** The run ids of `?ids=a,b,c`, without repeats. */
function idsOf(text: string | null): string[] {
  return [
    ...new Set(
      (text ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
}

/** What is wrong with the ids, in words, or undefined when the API may be asked. */
function idProblem(ids: string[]): string | undefined {
  const parsed = compareRunsInput.safeParse({ ids });
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((issue) => {
      const index = issue.path[1];
      if (typeof index === "number") return `"${ids[index]}" is not a run id`;
      return ids.length < 2 ? `choose at least 2 runs (got ${ids.length})` : `choose at most 20 runs (got ${ids.length})`;
    })
    .join("; ");
}

function Problem({ message }: { message: string }) {
  return (
    <>
      <h1>Compare runs</h1>
      <p className="banner-error" role="alert" data-testid="compare-error">
        Cannot compare: {message}
      </p>
      <p>
        Pick runs to compare on the <Link href="/runs">Runs</Link> page (select 2 to 20, then Compare).
      </p>
    </>
  );
}

function Compare() {
  const trpc = useTRPC();
  const ids = idsOf(useSearchParams().get("ids"));
  const problem = idProblem(ids);
  const comparison = useQuery(
    trpc.compare.runs.queryOptions(
      { ids },
      {
        enabled: !problem,
        // Bad ids and unknown runs stay bad: say so at once.
        retry: false,
        refetchInterval: (query) => (query.state.data?.runs.some((run) => isActive(run.status)) ? 3_000 : false),
      },
    ),
  );
  const data = comparison.data;
  const metricKeys = useMemo(() => Object.keys(data?.metrics ?? {}), [data?.metrics]);
  // Only finished runs have their final windows; read them once per set of finished runs.
  const finished = data?.runs.filter((run) => !isActive(run.status)).map((run) => run.id) ?? [];
  const scored = useQuery(trpc.compare.windows.queryOptions({ ids: finished }, { enabled: finished.length >= 2, staleTime: Infinity }));
  const windowGroups = useMemo(() => differingWindows(scored.data ?? []), [scored.data]);

  if (problem) return <Problem message={problem} />;
  if (comparison.error) return <Problem message={errorMessage(comparison.error)} />;
  if (!data) return <p className="muted">Loading comparison…</p>;
  const live = data.runs.some((run) => isActive(run.status));
  return (
    <>
      <h1>Compare {data.runs.length} runs</h1>
      <ul className={styles.runs} aria-label="Compared runs">
        {data.runs.map((run) => (
          <li key={run.id}>
            <Link href={`/runs/${run.id}`}>{runLabel(run)}</Link> <StatusChip status={run.status} />
          </li>
        ))}
      </ul>
      <OverlayCharts runs={data.runs} metricKeys={metricKeys} live={live} />
      <MetricsTable comparison={data} windowGroups={windowGroups} />
      <div className="grid2">
        <ParamDiff comparison={data} />
        <ParamScatter comparison={data} />
      </div>
      <ParamParallel comparison={data} />
    </>
  );
}

export default function ComparePage() {
  return (
    <SearchParamsBoundary>
      <Compare />
    </SearchParamsBoundary>
  );
}
