"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useMemo, useState } from "react";
import { BulkActions } from "@/components/runs-table/bulk-actions";
import { ColumnChooser } from "@/components/runs-table/column-chooser";
import { type ColumnChoice, defaultColumnChoice, type RunRow, runsColumns, sameColumnChoice } from "@/components/runs-table/columns";
import { ExportMenu } from "@/components/runs-table/export-menu";
import { RunGroups } from "@/components/runs-table/group-rows";
import { hasFilters, noFilters, RunsFilters } from "@/components/runs-table/runs-filters";
import { RunsTable } from "@/components/runs-table/runs-table";
import styles from "@/components/runs-table/runs-table.module.css";
import { type ListRunsQuery, listQueryFromView, type RunsView, searchFromView, viewFromSearch } from "@/components/runs-table/runs-view";
import { useSavedColumnChoice } from "@/components/runs-table/use-column-choice";
import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { toggled } from "@/lib/toggled";

const pageSize = 200;
const compareRange = { min: 2, max: 20 };

/** A list query's filters, without its sort and paging: the runs every bulk action "on the filter", and the CSV export, act on. */
const filtersOf = ({ sort: _, metricKeys: __, limit: ___, ...filters }: ListRunsQuery) => filters;

function runsHref(view: RunsView): string {
  const search = searchFromView(view);
  return search ? `/runs?${search}` : "/runs";
}

function Runs() {
  const router = useRouter();
  const searchString = useSearchParams().toString();
  const view = useMemo(() => viewFromSearch(new URLSearchParams(searchString)), [searchString]);
  const { saved, loaded, save } = useSavedColumnChoice();
  // The choice answers at once; the URL follows through history.replaceState (which Next keeps in sync).
  const [picked, setPicked] = useState<ColumnChoice>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL caught up, or the user went elsewhere: it is the truth again
  useEffect(() => setPicked(undefined), [searchString]);
  const choice = picked ?? view.columns ?? saved;
  const columns = useMemo(() => runsColumns(choice), [choice]);
  const listQuery = useMemo(() => listQueryFromView(view, { metricKeys: choice.metrics, limit: pageSize }), [view, choice.metrics]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const compareHint = useId();

  const show = useCallback((next: RunsView) => router.push(runsHref(next), { scroll: false }), [router]);
  const setChoice = (next: ColumnChoice) => {
    setPicked(next);
    save(next);
    window.history.replaceState(null, "", runsHref({ ...view, columns: next }));
  };
  // A plain /runs link shows the user's last columns; they go into the URL so the page can be shared as seen.
  useEffect(() => {
    if (loaded && !view.columns && !sameColumnChoice(saved, defaultColumnChoice)) {
      window.history.replaceState(null, "", runsHref({ ...view, columns: saved }));
    }
  }, [loaded, view, saved]);
  const toggle = useCallback((run: RunRow) => setSelected((current) => toggled(current, run.id)), []);
  const canCompare = selected.size >= compareRange.min && selected.size <= compareRange.max;
  const clearSelection = useCallback(() => setSelected(new Set()), []);

  return (
    <>
      <h1>Runs</h1>
      <RunsFilters view={view} issues={listQuery.issues} onApply={show} />
      <div className={styles.toolbar}>
        {canCompare ? (
          <Link className="btn primary" href={`/compare?ids=${[...selected].join(",")}`}>
            Compare ({selected.size})
          </Link>
        ) : (
          <button type="button" className="primary" disabled aria-describedby={compareHint}>
            Compare ({selected.size})
          </button>
        )}
        <span id={compareHint} className="muted">
          {canCompare ? "" : `Select ${compareRange.min} to ${compareRange.max} runs to compare them.`}
        </span>
        {selected.size > 0 && (
          <button type="button" onClick={clearSelection}>
            Clear selection
          </button>
        )}
        {listQuery.query && <BulkActions selected={selected} filter={filtersOf(listQuery.query)} onClearSelection={clearSelection} />}
        <span className={styles.grow} />
        <ColumnChooser choice={choice} onChange={setChoice} />
        {listQuery.query && <ExportMenu filters={filtersOf(listQuery.query)} columns={columns} />}
      </div>
      {listQuery.query && view.groupBy ? (
        <RunGroups
          query={listQuery.query}
          groupBy={view.groupBy}
          columns={columns}
          alone={view.group !== ""}
          onAlone={(value) => show({ ...view, group: value === undefined ? "" : JSON.stringify(value) })}
        />
      ) : listQuery.query ? (
        <RunsTable
          query={listQuery.query}
          columns={columns}
          trend={choice.trend}
          sort={view.sort}
          onSort={(sort) => show({ ...view, sort })}
          selected={selected}
          onToggle={toggle}
          empty={
            hasFilters(view) ? (
              <p>
                No runs match these filters.{" "}
                <button type="button" onClick={() => show(noFilters(view))}>
                  Clear filters
                </button>{" "}
                or <Link href="/new">start a training</Link>.
              </p>
            ) : (
              <p>
                No runs yet. <Link href="/new">Start a training</Link> to see it here.
              </p>
            )
          }
        />
      ) : (
        <p className="banner-error">This link&apos;s filters are not valid; fix the fields marked above.</p>
      )}
    </>
  );
}

export default function RunsPage() {
  return (
    <SearchParamsBoundary>
      <Runs />
    </SearchParamsBoundary>
  );
}
