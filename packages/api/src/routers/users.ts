import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createApiToken, hashPassword } from "../auth.js";
import { adminProcedure, router, viewerProcedure } from "../trpc.js";

export const usersRouter = router({
  me: viewerProcedure.query(({ ctx }) => ctx.user),

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
