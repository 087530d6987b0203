"use client";
import type { RouterOutputs } from "@hindcast/api";
import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, memo, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { isActive } from "@/components/run/types";
import { revealFocused } from "@/components/scroll-region";
import { errorMessage } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { toggled } from "@/lib/toggled";
import { useTRPC } from "@/lib/trpc";
import { columnTitle, isSortedBy, type RunRow, type RunsColumn } from "./columns";
import styles from "./runs-table.module.css";
import { firstDirection, type ListRunsQuery, type RunsSort } from "./runs-view";
import { SparklinesContext } from "./trend-cell";
import { useLiveRuns } from "./use-live-runs";
import { useSparklines } from "./use-sparklines";

const rowHeight = 36;
const headerHeight = 36;
const selectWidth = 64;
/** Load the next page when the last rendered row is this close to the end of the loaded ones. */
const prefetchRows = 40;

export interface RunsTableProps {
  query: ListRunsQuery;
  columns: RunsColumn[];
  /** The metric of the trend column, if there is one. */
  trend?: string;
  sort: RunsSort;
  onSort: (sort: RunsSort) => void;
  selected: ReadonlySet<string>;
  onToggle: (run: RunRow) => void;
  /** Shown instead of the table when no run matches. */
  empty: ReactNode;
}

const count = (n: number) => formatCount(n);

type RunsSummary = RouterOutputs["training"]["summary"];

/** How many of the listed runs beat their best classical baseline (the headline), and how many beat naive. */
function RunsVerdict({ summary }: { summary: RunsSummary }) {
  if (summary.withResult === 0) return null;
  return (
    <span data-testid="runs-verdict">
      {summary.withVerdict > 0 && (
        <>
          {" · "}
          <strong>{count(summary.beatBest)}</strong> of {count(summary.withVerdict)} with a verdict beat their best classical baseline
        </>
      )}
      {" · "}
      {summary.withVerdict > 0 ? count(summary.beatNaive) : <strong>{count(summary.beatNaive)}</strong>} of {count(summary.withResult)} with
      a retrodiction beat the naive forecast
    </span>
  );
}

function loadedText(loaded: number, more: boolean, total: number | undefined): string {
  const runs = (n: number) => `${count(n)} run${n === 1 ? "" : "s"}`;
  if (!more) return runs(loaded);
  return total === undefined
    ? `${runs(loaded)} loaded, more as you scroll`
    : `${count(loaded)} of ${runs(total)} loaded, more as you scroll`;
}

/** The time now, ticking every second while `live`, for durations of running runs. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

/** A row of the table: a run, or (depth 1) a child run shown under its expanded parent. */
interface ShownRun {
  run: RunRow;
  depth: 0 | 1;
}

const byName = new Intl.Collator("en", { numeric: true });

/**
 * The loaded runs with the children of each expanded parent right under it;
 * children are listed by name (window 1/6, 2/6, ...).
 */
function withChildren(rows: RunRow[], children: ReadonlyMap<string, RunRow[]>): ShownRun[] {
  const shown: ShownRun[] = [];
  for (const run of rows) {
    shown.push({ run, depth: 0 });
    const list = children.get(run.id);
    if (list)
      for (const child of [...list].sort((a, b) => byName.compare(a.name ?? a.id, b.name ?? b.id))) shown.push({ run: child, depth: 1 });
  }
  return shown;
}

interface RowProps {
  index: number;
  run: RunRow;
  depth: 0 | 1;
  /** Whether the run's children are shown under it; undefined for a run without children. */
  expanded: boolean | undefined;
  onExpand: (run: RunRow) => void;
  columns: RunsColumn[];
  selected: boolean;
  /** The clock for durations; 0 for finished runs so they skip the every-second re-render. */
  now: number;
  onToggle: (run: RunRow) => void;
}

/** One row; memoised so scrolling renders only the rows that come into view. */
const Row = memo(function Row({ index, run, depth, expanded, onExpand, columns, selected, now, onToggle }: RowProps) {
  const name = run.name ?? run.id.slice(0, 8);
  return (
    <tr
      data-index={index}
      data-run-id={run.id}
      data-parent-id={depth ? (run.parentId ?? undefined) : undefined}
      aria-rowindex={index + 2}
      className={[selected ? styles.selected : "", depth ? styles.child : ""].join(" ").trim() || undefined}
    >
      <td>
        <input type="checkbox" checked={selected} onChange={() => onToggle(run)} aria-label={`Select ${name}`} />
        {expanded !== undefined && (
          <button
            type="button"
            className={styles.expand}
            aria-expanded={expanded}
            aria-label={`${expanded ? "Hide" : "Show"} the ${run.childCount} child runs of ${name}`}
            title={`${expanded ? "Hide" : "Show"} its ${run.childCount} child runs`}
            onClick={() => onExpand(run)}
          >
            {expanded ? "▾" : "▸"}
          </button>
        )}
      </td>
      {columns.map((column) => (
        <td key={column.id} className={column.numeric ? "num" : undefined} data-column={column.id}>
          {column.cell(run, now)}
        </td>
      ))}
    </tr>
  );
});

function sortFor(column: RunsColumn, current: RunsSort): RunsSort | undefined {
  if (!column.sort) return undefined;
  if (isSortedBy(column, current)) return { ...current, direction: current.direction === "asc" ? "desc" : "asc" };
  return { ...column.sort, direction: firstDirection(column.sort.by, column.sort.key) };
}

/**
 * Runs in a virtualised table: only the rows in view are in the DOM, pages
 * of the cursor-paginated list load as the user scrolls near the end, and
 * active runs stay live (useLiveRuns).
 */
export function RunsTable({ query, columns, trend, sort, onSort, selected, onToggle, empty }: RunsTableProps) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.training.list.infiniteQueryOptions(query, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
    }),
  );
  const topLevel = useMemo(() => {
    const byId = new Map<string, RunRow>();
    for (const page of list.data?.pages ?? []) for (const run of page.runs) if (!byId.has(run.id)) byId.set(run.id, run);
    return [...byId.values()];
  }, [list.data]);
  // Children of a parallel retrodiction are listed under their parent once it is expanded, never at the top level.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const onExpand = useCallback((run: RunRow) => setExpanded((open) => toggled(open, run.id)), []);
  const childLists = useQueries({
    queries: [...expanded].map((parentId) =>
      trpc.training.list.queryOptions(
        { parentId, metricKeys: query.metricKeys, limit: 500 },
        { refetchInterval: (q) => (q.state.data?.runs.some((r) => isActive(r.status)) ? 2_000 : false) },
      ),
    ),
  });
  const childRuns = new Map([...expanded].map((id, i) => [id, childLists[i]?.data?.runs ?? []] as const));
  const childKey = childLists.map((q) => q.dataUpdatedAt).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: childKey stands for the child lists' data
  const shown = useMemo(() => withChildren(topLevel, childRuns), [topLevel, childKey, expanded]);
  const rows = useMemo(() => shown.map((s) => s.run), [shown]);
  const { activeCount } = useLiveRuns({
    query,
    runs: topLevel,
    ready: list.isSuccess && !list.isPlaceholderData,
    listUpdatedAt: list.dataUpdatedAt,
    refetchList: () => void list.refetch({ cancelRefetch: false }),
  });
  const now = useNow(activeCount > 0);
  const { sort: _, metricKeys: __, limit: ___, ...filters } = query;
  const summary = useQuery(
    trpc.training.summary.queryOptions(filters, { placeholderData: keepPreviousData, refetchInterval: activeCount > 0 ? 5_000 : false }),
  );
  const refetchSummary = summary.refetch;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a run that starts or ends changes the counts
  useEffect(() => void refetchSummary(), [activeCount, refetchSummary]);

  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    getItemKey: useCallback((index: number) => rows[index]?.id ?? index, [rows]),
    overscan: 12,
    paddingStart: headerHeight,
    scrollPaddingStart: headerHeight,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const sparklines = useSparklines(rows, items[0]?.index ?? 0, lastIndex, trend);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - prefetchRows) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const queryHash = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter or sort starts at the top
  useEffect(() => {
    // Braces matter: scrollTo returns a promise in newer browsers, and an effect may only return a cleanup.
    scroller.current?.scrollTo({ top: 0 });
  }, [queryHash]);

  /** Focuses the same control in another row once the virtualiser has rendered it. */
  const focusRow = (index: number, cell: number, tries = 10) =>
    requestAnimationFrame(() => {
      const target = scroller.current?.querySelector<HTMLElement>(`tr[data-index="${index}"] > :nth-child(${cell + 1}) :is(a, input)`);
      if (target) target.focus({ preventScroll: true });
      else if (tries > 0) focusRow(index, cell, tries - 1);
    });

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLTableRowElement>("tr[data-index]");
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = Number(row.dataset.index);
    if (event.key === "x") {
      const run = rows[index];
      if (run) onToggle(run);
      event.preventDefault();
      return;
    }
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const clamped = Math.max(0, Math.min(rows.length - 1, next));
    virtualizer.scrollToIndex(clamped, { align: "auto" });
    focusRow(clamped, target.closest("td")?.cellIndex ?? 1);
  };

  if (list.error && !list.data) return <p className="banner-error">{errorMessage(list.error)}</p>;
  if (list.isSuccess && topLevel.length === 0) return <div className={styles.empty}>{empty}</div>;

  const top = (items[0]?.start ?? headerHeight) - headerHeight;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? headerHeight);
  const width = selectWidth + columns.reduce((sum, column) => sum + column.width, 0);
  const spacer = (height: number) => (
    <tr className={styles.spacer} style={{ height }}>
      <td colSpan={columns.length + 1} />
    </tr>
  );

  return (
    <>
      <p className={styles.summary} aria-live="polite">
        {list.isPending ? "Loading runs…" : loadedText(topLevel.length, hasNextPage, summary.data?.total)}
        {summary.data && <RunsVerdict summary={summary.data} />}
        {list.isFetching && !list.isPending ? " · refreshing…" : ""}
        {list.error ? <span className="error"> · {errorMessage(list.error)}</span> : null}
      </p>
      <section
        ref={scroller}
        className={styles.scroller}
        data-testid="runs-table"
        aria-label="Runs"
        // A scroll box the keyboard can focus, so the arrow keys scroll the wide table (WCAG 2.1.1).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be focusable
        tabIndex={0}
        // Focus stops clear of the sticky header row and the sticky select and name columns.
        style={{ scrollPaddingTop: headerHeight, scrollPaddingLeft: selectWidth + (columns[0]?.width ?? 0) }}
        onFocus={revealFocused}
      >
        <table className={styles.table} style={{ width }} aria-rowcount={hasNextPage ? -1 : rows.length + 1}>
          <colgroup>
            <col style={{ width: selectWidth }} />
            {columns.map((column) => (
              <col key={column.id} style={{ width: column.width }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
              {columns.map((column) => {
                const sorted = isSortedBy(column, sort);
                const next = sortFor(column, sort);
                return (
                  <th
                    key={column.id}
                    scope="col"
                    className={column.numeric ? "num" : undefined}
                    title={columnTitle(column)}
                    aria-sort={sorted ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {next ? (
                      <button type="button" className={styles.sortButton} onClick={() => onSort(next)} title={`Sort by ${column.header}`}>
                        {column.header}
                        <span aria-hidden="true">{sorted ? (sort.direction === "asc" ? " ▲" : " ▼") : ""}</span>
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            <SparklinesContext value={sparklines}>
              {top > 0 && spacer(top)}
              {items.map((item) => {
                const { run, depth } = shown[item.index] as ShownRun;
                return (
                  <Row
                    key={run.id}
                    index={item.index}
                    run={run}
                    depth={depth}
                    expanded={depth === 0 && run.childCount > 0 ? expanded.has(run.id) : undefined}
                    onExpand={onExpand}
                    columns={columns}
                    selected={selected.has(run.id)}
                    now={isActive(run.status) ? now : 0}
                    onToggle={onToggle}
                  />
                );
              })}
              {bottom > 0 && spacer(bottom)}
            </SparklinesContext>
          </tbody>
        </table>
      </section>
      <p className={styles.hint}>
        Keys in the table: ↑ ↓ Home End move between runs, x selects one. ▸ shows the child runs (windows) of a parallel retrodiction.
      </p>
    </>
  );
}
