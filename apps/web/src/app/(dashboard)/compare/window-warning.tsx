import styles from "./compare.module.css";
import { type ComparedRun, runLabel } from "./types";
import type { WindowGroup } from "./window-check";

/** Says which runs were scored on which retrodiction windows when they differ: their results then measure different periods. */
export function WindowWarning({ runs, groups }: { runs: ComparedRun[]; groups: WindowGroup[] }) {
  if (groups.length === 0) return null;
  const label = (id: string) => {
    const run = runs.find((r) => r.id === id);
    return run ? runLabel(run) : id.slice(0, 8);
  };
  return (
    <div className="banner-warn" role="note" data-testid="window-mismatch">
      <strong>These runs were scored on different retrodiction windows</strong>, so their retrodiction results (and the ★ among them)
      compare different periods as well as different models:
      <ul className={styles.windowGroups}>
        {groups.map((group) => (
          <li key={group.runIds.join(",")} data-runs={group.runIds.join(",")}>
            {group.runIds.map(label).join(", ")}: {group.description}
          </li>
        ))}
      </ul>
    </div>
  );
}
