/** A retrodiction window a run was scored on (compare.windows). */
export interface ScoredWindow {
  startDate: string;
  endDate: string;
}

/** Runs scored on the same windows, and those windows in words. */
export interface WindowGroup {
  runIds: string[];
  windows: ScoredWindow[];
  description: string;
}

const signature = (windows: ScoredWindow[]) => windows.map((w) => `${w.startDate}/${w.endDate}`).join(",");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const range = (windows: ScoredWindow[]) => `${plural(windows.length, "window")}, ${windows[0]?.startDate} – ${windows.at(-1)?.endDate}`;
const list = (windows: ScoredWindow[]) => windows.map((w) => `${w.startDate} – ${w.endDate}`).join("; ");

/**
 * The groups of runs that were scored on different retrodiction windows, or
 * none when every run with results was scored on the same ones (runs without
 * results are left out). Each group is described by its count and date range
 * (ISO dates), or window by window when two groups share a count and range.
 */
export function differingWindows(runs: readonly { id: string; windows: ScoredWindow[] | null }[]): WindowGroup[] {
  const groups = new Map<string, { runIds: string[]; windows: ScoredWindow[] }>();
  for (const run of runs) {
    if (!run.windows?.length) continue;
    const key = signature(run.windows);
    const group = groups.get(key) ?? { runIds: [], windows: run.windows };
    group.runIds.push(run.id);
    groups.set(key, group);
  }
  if (groups.size < 2) return [];
  const ranges = [...groups.values()].map((group) => range(group.windows));
  const describe = new Set(ranges).size === ranges.length ? range : list;
  return [...groups.values()].map((group) => ({ ...group, description: describe(group.windows) }));
}
