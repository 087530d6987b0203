import { metricDirection } from "@hindcast/contracts";
import Link from "next/link";
import { ScrollRegion } from "@/components/scroll-region";
import { formatDate } from "@/lib/format";
import { SweepStatusChip, TrialCounts } from "./sweep-status";
import { formatObjective, type SweepListRow, sweepLabel } from "./types";

/** Sweeps, newest first: status, trials by status and the best value so far, each linking to its page. */
export function SweepList({ sweeps }: { sweeps: SweepListRow[] }) {
  return (
    <ScrollRegion label="Sweeps">
      <table data-testid="sweep-list">
        <thead>
          <tr>
            <th>Sweep</th>
            <th>Status</th>
            <th>Trials</th>
            <th className="num">Best</th>
            <th>Metric</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {sweeps.map((sweep) => {
            const metric = sweep.metric ?? "objective";
            return (
              <tr key={sweep.id} data-sweep-id={sweep.id}>
                <td>
                  <Link href={`/sweeps/${sweep.id}`}>{sweepLabel(sweep)}</Link>
                </td>
                <td>
                  <SweepStatusChip status={sweep.status} />
                </td>
                <td>
                  {sweep.trialsStarted} of {sweep.trialsPlanned ?? "?"}: <TrialCounts counts={sweep.counts} />
                </td>
                <td className="num">{formatObjective(metric, sweep.bestValue)}</td>
                <td>
                  {metric} <span className="muted">({metricDirection(metric)} is better)</span>
                </td>
                <td>{formatDate(sweep.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
