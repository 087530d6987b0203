import { ConflictError, NotFoundError, UserFacingError } from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "../client";
import { Prisma, type User } from "../generated/prisma/client";

export type UserRow = Pick<User, "id" | "email" | "name" | "role" | "disabled" | "createdAt" | "lastLoginAt">;

/** What signing in checks of a user; null when no user has this email. */
export function userForLogin(pool: pg.Pool, email: string): Promise<Pick<User, "id" | "role" | "passwordHash" | "disabled"> | null> {
  return prismaOf(pool).user.findUnique({ where: { email }, select: { id: true, role: true, passwordHash: true, disabled: true } });
}

export async function recordLogin(pool: pg.Pool, userId: string): Promise<void> {
  await prismaOf(pool).user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
}

/** Every user, oldest first. */
export function listUsers(pool: pg.Pool): Promise<UserRow[]> {
  return prismaOf(pool).user.findMany({
    select: { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, lastLoginAt: true },
    orderBy: { createdAt: "asc" },
  });
}

/** A new user; 409 when the email is taken. */
export async function createUser(
  pool: pg.Pool,
  user: Pick<User, "email" | "role" | "passwordHash"> & { name?: string },
): Promise<{ id: string }> {
  try {
    return await prismaOf(pool).user.create({ data: user, select: { id: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ConflictError(`A user with ${user.email} already exists`, "use another email", { path: "email" });
    }
    throw error;
  }
}

/** Sets a user's role (and, when given, whether they are disabled). Admins cannot demote or disable themselves. */
export async function setUserRole(
  pool: pg.Pool,
  actingUserId: string,
  change: { userId: string; role: User["role"]; disabled?: boolean },
): Promise<void> {
  if (change.userId === actingUserId && (change.role !== "ADMIN" || change.disabled)) {
    throw new UserFacingError("You cannot demote or disable yourself", "ask another admin", { path: "role" });
  }
  const { count } = await prismaOf(pool).user.updateMany({
    where: { id: change.userId },
    data: { role: change.role, disabled: change.disabled },
  });
  if (!count) throw new NotFoundError(`No user ${change.userId}`, "pick a user from users.list", { path: "userId" });
}

/** Creates the first user, an admin, on a database without users; false when there are users already. */
export async function createFirstAdmin(pool: pg.Pool, admin: Pick<User, "email" | "passwordHash">): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO "User" ("id", "email", "name", "role", "passwordHash")
     SELECT gen_random_uuid(), $1, 'Administrator', 'ADMIN', $2 WHERE NOT EXISTS (SELECT 1 FROM "User")`,
    [admin.email, admin.passwordHash],
  );
  return Boolean(rowCount);
}
