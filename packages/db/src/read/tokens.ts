import { NotFoundError } from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "../client";
import type { ApiToken, User } from "../generated/prisma/client";

/** The name of the token a browser session signs in with (users.login with `session`). */
export const sessionTokenName = "browser session";

export type TokenRow = Pick<ApiToken, "id" | "name" | "prefix" | "createdAt" | "lastUsedAt" | "expiresAt" | "revokedAt"> &
  Pick<User, "email">;

/** API tokens (never their hashes), newest first: one user's, or everyone's. Browser sessions are left out. */
export async function listTokens(pool: pg.Pool, owner: { userId: string } | "everyone"): Promise<TokenRow[]> {
  const tokens = await prismaOf(pool).apiToken.findMany({
    where: { name: { not: sessionTokenName }, ...(owner === "everyone" ? {} : { userId: owner.userId }) },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { email: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  return tokens.map(({ user, ...token }) => ({ ...token, email: user.email }));
}

/** Revokes a token of `owner` (or anyone's); revoking twice keeps the first time. 404 when there is no such token. */
export async function revokeToken(pool: pg.Pool, id: string, owner: { userId: string } | "anyone"): Promise<void> {
  const where = { id, ...(owner === "anyone" ? {} : { userId: owner.userId }) };
  const prisma = prismaOf(pool);
  const { count } = await prisma.apiToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
  if (!count && !(await prisma.apiToken.count({ where }))) {
    throw new NotFoundError(`No token ${id} of yours`, "pick a token from users.tokens", { path: "id" });
  }
}

/** Ends a browser session: the token with this hash is revoked, if it still is live. */
export async function revokeTokenByHash(pool: pg.Pool, tokenHash: string): Promise<void> {
  await prismaOf(pool).apiToken.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: new Date() } });
}

export type NewToken = Pick<ApiToken, "userId" | "name" | "tokenHash" | "prefix" | "expiresAt">;

/**
 * Stores a new token (its hash, never the token). Plain SQL: the database's
 * refusal of an unknown user is what the API answers with a 404.
 */
export async function storeToken(pool: pg.Pool, token: NewToken): Promise<{ id: string }> {
  const { rows } = await pool.query<Pick<ApiToken, "id">>(
    `INSERT INTO "ApiToken" ("id", "userId", "name", "tokenHash", "prefix", "expiresAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING "id"`,
    [token.userId, token.name, token.tokenHash, token.prefix, token.expiresAt],
  );
  return rows[0] as { id: string };
}

/**
 * The user behind a live token (not revoked, not expired, user not disabled),
 * stamping the token's lastUsedAt when it is a minute old or more; null
 * otherwise. One statement on the database's clock, since every API call
 * asks; a call that stamps nothing writes nothing, so it waits for no commit
 * to reach the disk.
 */
export async function userForTokenHash(pool: pg.Pool, tokenHash: string): Promise<Pick<User, "id" | "email" | "role"> | null> {
  const { rows } = await pool.query<Pick<User, "id" | "email" | "role">>(
    `WITH live AS (
       SELECT t."id" AS "tokenId", t."lastUsedAt", u."id", u."email", u."role"
         FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
        WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" > now()) AND NOT u."disabled"
     ), stamped AS (
       UPDATE "ApiToken" t SET "lastUsedAt" = now() FROM live
        WHERE t."id" = live."tokenId" AND (live."lastUsedAt" IS NULL OR live."lastUsedAt" < now() - interval '1 minute')
     )
     SELECT "id", "email", "role" FROM live`,
    [tokenHash],
  );
  return rows[0] ?? null;
}
