"use client";
import { useQuery } from "@tanstack/react-query";
import { ErrorBanner } from "@/components/error-banner";
import { useTRPC } from "@/lib/trpc";
import { BestTrial } from "./best-trial";
import { ImportanceList } from "./importance-list";
import { OptimisationCurve } from "./optimisation-curve";
import { SweepHeader } from "./sweep-header";
import { SweepParallel } from "./sweep-parallel";
import styles from "./sweeps.module.css";
import { TrialTable } from "./trial-table";
import { isLiveSweep } from "./types";

/** While a sweep may still start or end trials its page asks again this often. */
const pollMs = 2_000;

/** A sweep's page: header and actions, the best trial, the curve, parallel coordinates, importance and every trial, live. */
export function SweepView({ id }: { id: string }) {
  const trpc = useTRPC();
  const sweep = useQuery(
    trpc.sweeps.get.queryOptions({ id }, { refetchInterval: (query) => (isLiveSweep(query.state.data?.status) ? pollMs : false) }),
  );
  if (!sweep.data) return sweep.error ? <ErrorBanner error={sweep.error} /> : <p className="muted">Loading sweep {id}…</p>;
  const data = sweep.data;
  return (
    <>
      <SweepHeader sweep={data} />
      <ErrorBanner error={sweep.error} />
      <div className={styles.grid}>
        <BestTrial sweep={data} />
        <ImportanceList sweep={data} />
      </div>
      <OptimisationCurve sweep={data} />
      <SweepParallel sweep={data} />
      <TrialTable sweep={data} />
    </>
  );
}
