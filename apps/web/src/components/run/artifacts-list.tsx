"use client";
import { useQuery } from "@tanstack/react-query";
import { formatBytes, formatDate } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./run.module.css";

/** Files the run saved (results, model, checkpoints), each downloadable with the session cookie. */
export function ArtifactsList({ runId, active }: { runId: string; active: boolean }) {
  const trpc = useTRPC();
  const artifacts = useQuery(trpc.runs.artifacts.queryOptions({ id: runId }, { refetchInterval: active ? 5_000 : false }));
  const rows = artifacts.data ?? [];
  return (
    <section className="card" aria-labelledby="artifacts-title">
      <h2 id="artifacts-title">Artifacts</h2>
      {artifacts.error && <p className="banner-error">Cannot list artifacts: {artifacts.error.message}</p>}
      {rows.length === 0 ? (
        <p className="muted">{artifacts.isPending ? "Loading…" : active ? "Nothing saved yet." : "This run saved no artifacts."}</p>
      ) : (
        <div className={styles.scroll}>
          <table data-testid="artifacts">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th className="num">Size</th>
                <th>Saved</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((artifact) => (
                <tr key={artifact.id}>
                  <td>
                    <a href={artifact.url} download={artifact.name.split("/").at(-1)} aria-label={`Download ${artifact.name}`}>
                      {artifact.name}
                    </a>
                  </td>
                  <td>{artifact.kind}</td>
                  <td className="num">{formatBytes(artifact.sizeBytes)}</td>
                  <td>{formatDate(artifact.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
