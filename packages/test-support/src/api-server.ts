import { type ApiServer, bootstrapAdmin, createApiToken, createCaller, type SessionUser, startApiServer } from "@hindcast/api";
import type { NotificationHub } from "@hindcast/db";
import type pg from "pg";
import type { ScratchDatabase } from "./database";

type Who = "viewer" | "operator" | "admin";

export const testPasswords: Record<Who, string> = {
  viewer: "viewer password 1",
  operator: "operator password 1",
  admin: "admin password 1",
};

export interface TestApi {
  db: ScratchDatabase;
  pool: pg.Pool;
  hub: NotificationHub;
  server: ApiServer;
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** One user per role, `<role>@example.com` with `testPasswords`, as the API's context holds them. */
  users: Record<Who, SessionUser>;
  /** One API token per role. */
  tokens: Record<Who, string>;
}

/** Adds a viewer, an operator and an admin to a migrated database and serves it with the real HTTP API; close the server after. */
export async function serveTestApi(db: ScratchDatabase, pool: pg.Pool, hub: NotificationHub): Promise<TestApi> {
  await bootstrapAdmin(pool, "admin@example.com", testPasswords.admin);
  const admin = (await pool.query(`SELECT "id", "email", "role" FROM "User"`)).rows[0];
  const caller = createCaller({ pool, user: admin });
  for (const who of ["viewer", "operator"] as const) {
    await caller.users.create({
      email: `${who}@example.com`,
      role: who === "viewer" ? "VIEWER" : "OPERATOR",
      password: testPasswords[who],
    });
  }
  const users = {} as Record<Who, SessionUser>;
  const tokens = {} as Record<Who, string>;
  for (const who of ["viewer", "operator", "admin"] as const) {
    const { rows } = await pool.query<SessionUser>(`SELECT "id", "email", "role" FROM "User" WHERE "email" = $1`, [`${who}@example.com`]);
    users[who] = rows[0] as SessionUser;
    tokens[who] = (await createApiToken(pool, users[who].id, "test")).token;
  }
  const server = await startApiServer(pool, { hub });
  return { db, pool, hub, server, origin: server.url.replace(/\/api\/trpc$/, ""), users, tokens };
}
