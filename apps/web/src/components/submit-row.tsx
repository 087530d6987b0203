import type { ReactNode } from "react";

/** A form's submit button under its fields, disabled and saying `busyLabel` while the request runs. */
export function SubmitRow({ pending, busyLabel, children }: { pending: boolean; busyLabel: string; children: ReactNode }) {
  return (
    <div className="row form-actions">
      <button type="submit" className="primary" disabled={pending}>
        {pending ? busyLabel : children}
      </button>
    </div>
  );
}
