import { dbTest } from "@hindcast/test-support";
import { describe, expect } from "vitest";
import { prismaOf } from "../src/client";
import { databaseErrorCode, isDatabaseUnavailable } from "../src/index";

/** Runs `query` on its own connection and terminates that connection from another while it runs; returns what it threw. */
async function terminatedUnder(pool: import("pg").Pool, query: () => Promise<unknown>): Promise<unknown> {
  const running = query().then(
    () => undefined,
    (error: unknown) => error,
  );
  for (let i = 0; i < 100; i++) {
    const { rowCount } = await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`,
    );
    if (rowCount) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return running;
}

describe("a database that went away, whichever client saw it", () => {
  dbTest("pg's error and Prisma Client's carry the same code and both count as unavailable", async ({ pool }) => {
    const fromPg = await terminatedUnder(pool, () => pool.query("SELECT pg_sleep(30)"));
    const fromPrisma = await terminatedUnder(pool, () => prismaOf(pool).$queryRawUnsafe("SELECT pg_sleep(30)"));
    for (const error of [fromPg, fromPrisma]) {
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    }
    expect(databaseErrorCode(fromPg)).toBe("57P01");
    expect(databaseErrorCode(fromPrisma)).toBe("57P01");
  });

  dbTest("a constraint the caller broke is not the server's absence, through either client", async ({ pool }) => {
    await pool.query(
      `INSERT INTO "User" ("id", "email", "name", "role", "passwordHash") VALUES (gen_random_uuid(), 'twice@example.com', 'x', 'VIEWER', 'h')`,
    );
    const twice = () => ({ data: { email: "twice@example.com", name: "x", role: "VIEWER" as const, passwordHash: "h" } });
    const fromPrisma = await prismaOf(pool)
      .user.create(twice())
      .catch((error: unknown) => error);
    expect(databaseErrorCode(fromPrisma)).toBe("23505");
    expect(isDatabaseUnavailable(fromPrisma)).toBe(false);
  });
});
