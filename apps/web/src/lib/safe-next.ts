/**
 * Where to go after signing in: `next` when it resolves to a page of this
 * site, else `fallback`. Browsers read "/\evil.example" as "//evil.example",
 * so prefix checks are not enough: the resolved URL's origin must be ours.
 */
export function safeNextPath(next: string | null, origin: string, fallback = "/runs"): string {
  if (!next) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  // "/.//evil.example" resolves here to the path "//evil.example", which a browser would read as a host.
  return `${url.pathname.replace(/^\/+/, "/")}${url.search}${url.hash}`;
}
