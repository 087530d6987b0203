import type pg from "pg";
import { type SessionUser, userForToken } from "./auth.js";

export interface ApiContext {
  pool: pg.Pool;
  user: SessionUser | undefined;
}

/** Context of one request: the user behind its bearer token, if any. */
export async function createContext(pool: pg.Pool, headers: Headers): Promise<ApiContext> {
  const authorization = headers.get("authorization");
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return { pool, user: token ? await userForToken(pool, token) : undefined };
}
