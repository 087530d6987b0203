/** Browser sessions are API tokens kept in an HttpOnly cookie, so one lookup serves both. */
export const sessionCookieName = "hindcast_session";
export const sessionMaxAgeSeconds = 7 * 24 * 3600;

/**
 * SameSite=Lax keeps the cookie off cross-site POSTs (other ports of the same
 * host are the same site: the Origin check covers those); Secure when the
 * dashboard is served over HTTPS.
 */
export function sessionCookie(token: string | null, maxAgeSeconds = sessionMaxAgeSeconds, secure = false): string {
  const attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return token === null
    ? `${sessionCookieName}=; ${attributes}; Max-Age=0`
    : `${sessionCookieName}=${encodeURIComponent(token)}; ${attributes}; Max-Age=${maxAgeSeconds}`;
}
