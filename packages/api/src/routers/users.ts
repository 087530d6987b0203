import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createApiToken, hashPassword, verifyPassword } from "../auth.js";
import { adminProcedure, publicProcedure, router, viewerProcedure } from "../trpc.js";

export const usersRouter = router({
  me: viewerProcedure.query(({ ctx }) => ctx.user),

  /** Email + password -> a new API token for this machine (the CLI's `hindcast login`). */
  login: publicProcedure
    .input(z.object({ email: z.string().email(), password: z.string().min(1), tokenName: z.string().min(1).max(100).default("cli") }))
    .mutation(async ({ ctx, input }) => {
      const { rows } = await ctx.pool.query<{ id: string; role: string; passwordHash: string | null; disabled: boolean }>(
        `SELECT "id", "role", "passwordHash", "disabled" FROM "User" WHERE "email" = $1`,
        [input.email.toLowerCase()],
      );
      const user = rows[0];
      const ok = user?.passwordHash && !user.disabled ? await verifyPassword(input.password, user.passwordHash) : false;
      if (!user || !ok) throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
      await ctx.pool.query(`UPDATE "User" SET "lastLoginAt" = now() WHERE "id" = $1`, [user.id]);
      const { token } = await createApiToken(ctx.pool, user.id, input.tokenName);
      return { token, email: input.email.toLowerCase(), role: user.role };
    }),

  create: adminProcedure
    .input(
      z.object({
        email: z.string().email(),
        name: z.string().max(200).optional(),
        role: z.enum(["VIEWER", "OPERATOR", "ADMIN"]),
        password: z.string().min(12),
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

  /** A new API token for a user; the token is in this answer only. */
  createToken: adminProcedure
    .input(z.object({ userId: z.string().uuid(), name: z.string().min(1).max(100), expiresAt: z.date().optional() }))
    .mutation(({ ctx, input }) => createApiToken(ctx.pool, input.userId, input.name, input.expiresAt)),
});
