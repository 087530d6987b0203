import { randomBytes } from "node:crypto";
import { plainText } from "@hindcast/models/text";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createApiToken, hashPassword, hashToken, verifyPassword } from "../auth.js";
import { LoginThrottledError } from "../login-throttle.js";
import { sessionMaxAgeSeconds } from "../session.js";
import { adminProcedure, crossSiteError, publicProcedure, router, viewerProcedure } from "../trpc.js";

const roleInput = z.enum(["VIEWER", "OPERATOR", "ADMIN"]);

let unknownUserHashPromise: Promise<string> | undefined;
/** A hash no password matches by chance, made once, to check unknown emails against. */
const unknownUserHash = () => (unknownUserHashPromise ??= hashPassword(randomBytes(32).toString("hex")));

export const usersRouter = router({
  me: viewerProcedure.query(({ ctx }) => ctx.user),

  /**
   * Email + password. With `session` (the dashboard) the answer sets an
   * HttpOnly session cookie; otherwise it returns a new API token for this
   * machine (the CLI's `hindcast login`).
   */
  login: publicProcedure
    .input(
      z.object({
        email: z.string().email(),
        password: z.string().min(1),
        tokenName: plainText().min(1).max(100).default("cli"),
        session: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const email = input.email.toLowerCase();
      if (input.session && ctx.sameOrigin === false) throw crossSiteError();
      const address = ctx.clientAddress ?? "in-process";
      const wait = ctx.loginThrottle?.attempt(email, address) ?? 0;
      if (wait > 0) {
        const refused = new LoginThrottledError(wait);
        throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: refused.message, cause: refused });
      }
      const { rows } = await ctx.pool.query<{ id: string; role: string; passwordHash: string | null; disabled: boolean }>(
        `SELECT "id", "role", "passwordHash", "disabled" FROM "User" WHERE "email" = $1`,
        [email],
      );
      const user = rows[0];
      // An unknown email costs the same scrypt as a known one, so timing does not tell which emails exist.
      const matches = await verifyPassword(input.password, user?.passwordHash ?? (await unknownUserHash()));
      if (!user?.passwordHash || user.disabled || !matches) {
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
      }
      ctx.loginThrottle?.succeeded(email, address);
      await ctx.pool.query(`UPDATE "User" SET "lastLoginAt" = now() WHERE "id" = $1`, [user.id]);
      if (input.session) {
        if (!ctx.setSessionCookie)
          throw new TRPCError({ code: "BAD_REQUEST", message: "session: sessions need an HTTP request; ask for a token" });
        const { token } = await createApiToken(ctx.pool, user.id, "browser session", new Date(Date.now() + sessionMaxAgeSeconds * 1000));
        ctx.setSessionCookie(token);
        return { token: null, email, role: user.role };
      }
      const { token } = await createApiToken(ctx.pool, user.id, input.tokenName);
      return { token, email, role: user.role };
    }),

  /** Ends the browser session: its token is revoked and the cookie cleared. */
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) {
      await ctx.pool.query(`UPDATE "ApiToken" SET "revokedAt" = now() WHERE "tokenHash" = $1 AND "revokedAt" IS NULL`, [
        hashToken(ctx.sessionToken),
      ]);
    }
    ctx.setSessionCookie?.(null);
    return { ok: true };
  }),

  list: adminProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query(
      `SELECT "id", "email", "name", "role", "disabled", "createdAt", "lastLoginAt" FROM "User" ORDER BY "createdAt"`,
    );
    return rows as {
      id: string;
      email: string;
      name: string | null;
      role: z.infer<typeof roleInput>;
      disabled: boolean;
      createdAt: Date;
      lastLoginAt: Date | null;
    }[];
  }),

  create: adminProcedure
    .input(
      z.object({
        email: z.string().email("enter an email address like ada@example.com"),
        name: plainText().max(200).optional(),
        role: roleInput,
        password: z.string().min(12, "use at least 12 characters"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { rows } = await ctx.pool.query<{ id: string }>(
        `INSERT INTO "User" ("id", "email", "name", "role", "passwordHash") VALUES (gen_random_uuid(), $1, $2, $3, $4)
         ON CONFLICT ("email") DO NOTHING RETURNING "id"`,
        [input.email.toLowerCase(), input.name ?? null, input.role, await hashPassword(input.password)],
      );
      if (!rows[0]) throw new TRPCError({ code: "CONFLICT", message: `email: a user with ${input.email} already exists` });
      return { id: rows[0].id };
    }),

  setRole: adminProcedure
    .input(z.object({ userId: z.string().uuid(), role: roleInput, disabled: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.user.id && (input.role !== "ADMIN" || input.disabled)) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "role: you cannot demote or disable yourself; ask another admin" });
      }
      const { rowCount } = await ctx.pool.query(`UPDATE "User" SET "role" = $2, "disabled" = coalesce($3, "disabled") WHERE "id" = $1`, [
        input.userId,
        input.role,
        input.disabled ?? null,
      ]);
      if (!rowCount) throw new TRPCError({ code: "NOT_FOUND", message: `userId: no user ${input.userId}` });
      return { ok: true };
    }),

  /** API tokens (never the secrets): your own, or everyone's for an admin with `all`. Browser sessions are left out. */
  tokens: viewerProcedure.input(z.object({ all: z.boolean().default(false) }).default({ all: false })).query(async ({ ctx, input }) => {
    if (input.all && ctx.user.role !== "ADMIN")
      throw new TRPCError({ code: "FORBIDDEN", message: "all: only admins see everyone's tokens" });
    const { rows } = await ctx.pool.query(
      `SELECT t."id", t."name", t."prefix", t."createdAt", t."lastUsedAt", t."expiresAt", t."revokedAt", u."email"
         FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
        WHERE t."name" <> 'browser session' AND ($1 OR t."userId" = $2)
        ORDER BY t."createdAt" DESC`,
      [input.all, ctx.user.id],
    );
    return rows as {
      id: string;
      name: string;
      prefix: string;
      email: string;
      createdAt: Date;
      lastUsedAt: Date | null;
      expiresAt: Date | null;
      revokedAt: Date | null;
    }[];
  }),

  /** A new API token: for yourself, or (admins) for `userId`. The token is in this answer only. */
  createToken: viewerProcedure
    .input(z.object({ userId: z.string().uuid().optional(), name: plainText().trim().min(1).max(100), expiresAt: z.date().optional() }))
    .mutation(({ ctx, input }) => {
      if (input.userId && input.userId !== ctx.user.id && ctx.user.role !== "ADMIN") {
        throw new TRPCError({ code: "FORBIDDEN", message: "userId: only admins create tokens for other users" });
      }
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "expiresAt: must be in the future" });
      }
      return createApiToken(ctx.pool, input.userId ?? ctx.user.id, input.name, input.expiresAt);
    }),

  revokeToken: viewerProcedure.input(z.object({ id: z.string().uuid() })).mutation(async ({ ctx, input }) => {
    const { rowCount } = await ctx.pool.query(
      `UPDATE "ApiToken" SET "revokedAt" = coalesce("revokedAt", now()) WHERE "id" = $1 AND ($2 OR "userId" = $3)`,
      [input.id, ctx.user.role === "ADMIN", ctx.user.id],
    );
    if (!rowCount) throw new TRPCError({ code: "NOT_FOUND", message: `id: no token ${input.id} of yours` });
    return { ok: true };
  }),
});
