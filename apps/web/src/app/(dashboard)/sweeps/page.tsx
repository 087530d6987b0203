"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorBanner } from "@/components/error-banner";
import { SweepList } from "@/components/sweeps/sweep-list";
import { isLiveSweep } from "@/components/sweeps/types";
import { useTRPC } from "@/lib/trpc";

/** While a listed sweep runs, the list asks again this often. */
const pollMs = 3_000;

export default function SweepsPage() {
  const trpc = useTRPC();
  const sweeps = useQuery(
    trpc.sweeps.list.queryOptions(
      { limit: 100 },
      { refetchInterval: (query) => (query.state.data?.some((sweep) => isLiveSweep(sweep.status)) ? pollMs : false) },
    ),
  );
  return (
    <>
      <h1>Sweeps</h1>
      <p className="muted">
        A sweep trains many configs of one spec and keeps the best. Start one from <Link href="/new">New training</Link> (Sweep) or with{" "}
        <code>hindcast sweep start sweep.yaml</code>.
      </p>
      <ErrorBanner error={sweeps.error} />
      <section className="card" aria-label="Sweeps, newest first">
        {sweeps.isPending ? (
          <p className="muted">Loading…</p>
        ) : sweeps.data?.length ? (
          <SweepList sweeps={sweeps.data} />
        ) : (
          <p className="muted">No sweeps yet.</p>
        )}
      </section>
    </>
  );
}
