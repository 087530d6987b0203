import Link from "next/link";
import { ScrollRegion } from "@/components/scroll-region";
import { formatParam } from "@/lib/format";
import styles from "./compare.module.css";
import { type Comparison, runLabel } from "./types";

/** Params that differ between the runs, highlighted, and the shared ones folded away. */
export function ParamDiff({ comparison }: { comparison: Comparison }) {
  const { runs, differing, shared } = comparison;
  const differingKeys = Object.keys(differing);
  const sharedKeys = Object.keys(shared);
  return (
    <section className="card" aria-labelledby="params-title">
      <h2 id="params-title">Params</h2>
      {differingKeys.length === 0 ? (
        <p className="muted">All {sharedKeys.length} params are the same in every run.</p>
      ) : (
        <ScrollRegion label="Params that differ">
          <table data-testid="param-diff" className={styles.runHeaders}>
            <caption className={styles.caption}>{differingKeys.length} differing</caption>
            <thead>
              <tr>
                <th scope="col">Param</th>
                {runs.map((run) => (
                  <th key={run.id} scope="col">
                    <Link href={`/runs/${run.id}`}>{runLabel(run)}</Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {differingKeys.map((key) => (
                <tr key={key} className="differs">
                  <th scope="row">{key}</th>
                  {differing[key]?.map((value, i) => (
                    <td key={runs[i]?.id}>{formatParam(value)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {sharedKeys.length > 0 && (
        <details className={styles.shared}>
          <summary>Shared by all runs ({sharedKeys.length})</summary>
          <ScrollRegion label="Params shared by all runs">
            <table data-testid="param-shared">
              <tbody>
                {sharedKeys.map((key) => (
                  <tr key={key}>
                    <th scope="row">{key}</th>
                    <td>{formatParam(shared[key])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </details>
      )}
    </section>
  );
}
