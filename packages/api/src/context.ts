import type { NotificationHub } from "@hindcast/db";
import type pg from "pg";
import { type SessionUser, userForToken } from "./auth.js";
import { sessionCookieName } from "./session.js";

export interface ApiContext {
  pool: pg.Pool;
  user: SessionUser | undefined;
  /** The server's one LISTEN connection, for subscriptions; absent where nothing subscribes. */
  hub?: NotificationHub;
  /** The browser session token this request carried, if it came with one. */
  sessionToken?: string;
  /** Sets (or, with null, clears) the browser session cookie on the answer; absent outside HTTP. */
  setSessionCookie?: (token: string | null, maxAgeSeconds?: number) => void;
}

function cookie(headers: Headers, name: string): string | undefined {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** Context of one request: the user behind its bearer token, or else its session cookie. */
export async function createContext(
  pool: pg.Pool,
  headers: Headers,
  hub?: NotificationHub,
  setSessionCookie?: ApiContext["setSessionCookie"],
): Promise<ApiContext> {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const sessionToken = cookie(headers, sessionCookieName);
  const token = bearer ?? sessionToken;
  return { pool, hub, sessionToken, setSessionCookie, user: token ? await userForToken(pool, token) : undefined };
}
