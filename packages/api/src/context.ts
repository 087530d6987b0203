import type { NotificationHub } from "@hindcast/db";
import type pg from "pg";
import { type SessionUser, userForToken } from "./auth.js";

export interface ApiContext {
  pool: pg.Pool;
  user: SessionUser | undefined;
  /** The server's one LISTEN connection, for subscriptions; absent where nothing subscribes. */
  hub?: NotificationHub;
}

/** Context of one request: the user behind its bearer token, if any. */
export async function createContext(pool: pg.Pool, headers: Headers, hub?: NotificationHub): Promise<ApiContext> {
  const authorization = headers.get("authorization");
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return { pool, hub, user: token ? await userForToken(pool, token) : undefined };
}
