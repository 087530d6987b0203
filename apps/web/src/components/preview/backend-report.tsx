import type { BackendChoice } from "@hindcast/models";

/** Which TF.js backend trains the preview, and why each better one was turned down. */
export function BackendReport({ choice }: { choice: BackendChoice | undefined }) {
  if (!choice) return <p className="muted">Choosing a backend…</p>;
  return (
    <div>
      <p>
        Backend: <strong data-testid="preview-backend">{choice.backend}</strong> {choice.gpu ? "(GPU)" : "(CPU)"}
        {choice.notes.length > 0 && <span className="muted"> — {choice.notes.join("; ")}</span>}
      </p>
      {choice.rejected.length > 0 && (
        <ul data-testid="preview-rejected">
          {choice.rejected.map((r) => (
            <li key={r.backend}>
              {r.backend} not used: {r.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
