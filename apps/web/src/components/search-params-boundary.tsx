import { type ReactNode, Suspense } from "react";

/** useSearchParams needs a Suspense boundary in the App Router; this one says "Loading…" meanwhile. */
export function SearchParamsBoundary({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="muted">Loading…</p>}>{children}</Suspense>;
}
