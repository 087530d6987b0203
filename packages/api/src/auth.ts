import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { createFirstAdmin, storeToken, userForTokenHash } from "@hindcast/db";
import type pg from "pg";

export type Role = "VIEWER" | "OPERATOR" | "ADMIN";
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const tokenPrefix = "hc_";

/** Tokens are stored as SHA-256: they are random 32-byte secrets, so a slow hash adds nothing. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** scrypt with a per-user salt, stored as `scrypt$<salt>$<hash>` (hex). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString("hex")}$${(await scryptAsync(password, salt, 32)).toString("hex")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const actual = await scryptAsync(password, Buffer.from(salt, "hex"), 32);
  return timingSafeEqual(actual, Buffer.from(hash, "hex"));
}

/** Creates an API token; the token itself is returned once and never stored. */
export async function createApiToken(db: pg.Pool, userId: string, name: string, expiresAt?: Date): Promise<{ id: string; token: string }> {
  const token = `${tokenPrefix}${randomBytes(32).toString("base64url")}`;
  const { id } = await storeToken(db, {
    userId,
    name,
    tokenHash: hashToken(token),
    prefix: token.slice(0, 10),
    expiresAt: expiresAt ?? null,
  });
  return { id, token };
}

/** The user behind a bearer token, or undefined when it is unknown, revoked, expired or its user disabled. */
export async function userForToken(db: pg.Pool, token: string): Promise<SessionUser | undefined> {
  return (await userForTokenHash(db, hashToken(token))) ?? undefined;
}

/**
 * On an empty database, creates the first admin (with a random password
 * unless one is given) and returns it (to print once); otherwise returns undefined.
 */
export async function bootstrapAdmin(
  db: pg.Pool,
  email = "admin@hindcast.local",
  password = randomBytes(12).toString("base64url"),
): Promise<{ email: string; password: string } | undefined> {
  const created = await createFirstAdmin(db, { email, passwordHash: await hashPassword(password) });
  return created ? { email, password } : undefined;
}
