import type { NotificationHub } from "@hindcast/db";
import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { type SessionUser, userForToken } from "./auth";
import type { LoginThrottle } from "./login-throttle";
import { sessionCookieName } from "./session";

/** What an HTTP request adds to the context; absent for in-process callers. */
export interface HttpRequestInfo {
  hub?: NotificationHub;
  /** Sets (or, with null, clears) the browser session cookie on the answer. */
  setSessionCookie?: (token: string | null, maxAgeSeconds?: number) => void;
  /** The peer's address, for sign-in throttling. */
  clientAddress?: string;
  loginThrottle?: LoginThrottle;
}

export interface ApiContext extends HttpRequestInfo {
  pool: pg.Pool;
  user: SessionUser | undefined;
  /** The browser session token this request carried, if it came with one. */
  sessionToken?: string;
  /** What `user` was found by: an API token (Authorization header) or the session cookie. */
  credential?: "token" | "cookie";
  /**
   * False when a browser says the request comes from another site (Origin or
   * Sec-Fetch-Site): such a request may not act on the session cookie.
   */
  sameOrigin?: boolean;
}

/** The hub a live procedure streams from; a server without one (an in-process caller) answers 405, naming the query to poll instead. */
export function liveHub(ctx: ApiContext, pollInstead: string): NotificationHub {
  if (!ctx.hub) throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `This server has no live updates; poll ${pollInstead}` });
  return ctx.hub;
}

function cookie(headers: Headers, name: string): string | undefined {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join("="));
    } catch {
      // A malformed cookie ("%ZZ") is no session, not a server error.
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether a browser sent this request from a page of this server. Browsers
 * send Sec-Fetch-Site or Origin with every POST; a request with neither is
 * not from a browser's page (the CLI, curl) and cannot be forged cross-site.
 */
function isSameOrigin(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none";
  const origin = headers.get("origin");
  if (!origin) return true;
  try {
    return new URL(origin).host === headers.get("host");
  } catch {
    return false;
  }
}

/** Context of one request: the user behind its bearer token, or else its session cookie. */
export async function createContext(pool: pg.Pool, headers: Headers, http: HttpRequestInfo = {}): Promise<ApiContext> {
  const bearer = headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const sessionToken = cookie(headers, sessionCookieName);
  const token = bearer ?? sessionToken;
  return {
    pool,
    ...http,
    sessionToken,
    credential: bearer ? "token" : sessionToken ? "cookie" : undefined,
    sameOrigin: isSameOrigin(headers),
    user: token ? await userForToken(pool, token) : undefined,
  };
}
