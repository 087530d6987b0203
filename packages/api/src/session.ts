/** Browser sessions are API tokens kept in an HttpOnly cookie, so one lookup serves both. */
export const sessionCookieName = "hindcast_session";
export const sessionMaxAgeSeconds = 7 * 24 * 3600;

/** SameSite=Lax keeps the cookie off cross-site POSTs, which is where tRPC mutations go. */
export function sessionCookie(token: string | null, maxAgeSeconds = sessionMaxAgeSeconds): string {
  return token === null
    ? `${sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
    : `${sessionCookieName}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}
