import { errorMessage } from "@/lib/errors";

/** An API error in one line, announced to screen readers; nothing while there is no error. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="banner-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
