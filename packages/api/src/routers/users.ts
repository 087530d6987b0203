import { ForbiddenError, UserFacingError } from "@hindcast/contracts";
import { createUser, listTokens, listUsers, revokeToken, revokeTokenByHash, setUserRole } from "@hindcast/db";
import { plainText } from "@hindcast/models/text";
import { z } from "zod";
import { createApiToken, hashPassword, hashToken } from "../auth";
import { signIn } from "../sign-in";
import { adminProcedure, publicProcedure, router, viewerProcedure } from "../trpc";

const roleInput = z.enum(["VIEWER", "OPERATOR", "ADMIN"]);

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
    .mutation(({ ctx, input }) => signIn(ctx, input)),

  /** Ends the browser session: its token is revoked and the cookie cleared. */
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await revokeTokenByHash(ctx.pool, hashToken(ctx.sessionToken));
    ctx.setSessionCookie?.(null);
    return { ok: true };
  }),

  list: adminProcedure.query(({ ctx }) => listUsers(ctx.pool)),

  create: adminProcedure
    .input(
      z.object({
        email: z.string().email("enter an email address like ada@example.com"),
        name: plainText().max(200).optional(),
        role: roleInput,
        password: z.string().min(12, "use at least 12 characters"),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      createUser(ctx.pool, {
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
      }),
    ),

  setRole: adminProcedure
    .input(z.object({ userId: z.string().uuid(), role: roleInput, disabled: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      await setUserRole(ctx.pool, ctx.user.id, input);
      return { ok: true };
    }),

  /** API tokens (never the secrets): your own, or everyone's for an admin with `all`. Browser sessions are left out. */
  tokens: viewerProcedure.input(z.object({ all: z.boolean().default(false) }).default({ all: false })).query(({ ctx, input }) => {
    if (input.all && ctx.user.role !== "ADMIN")
      throw new ForbiddenError("Only admins see everyone's tokens", "leave all unset to see your own", { path: "all" });
    return listTokens(ctx.pool, input.all ? "everyone" : { userId: ctx.user.id });
  }),

  /** A new API token: for yourself, or (admins) for `userId`. The token is in this answer only. */
  createToken: viewerProcedure
    .input(z.object({ userId: z.string().uuid().optional(), name: plainText().trim().min(1).max(100), expiresAt: z.date().optional() }))
    .mutation(({ ctx, input }) => {
      if (input.userId && input.userId !== ctx.user.id && ctx.user.role !== "ADMIN") {
        throw new ForbiddenError("Only admins create tokens for other users", "leave userId unset to create one for yourself", {
          path: "userId",
        });
      }
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
        throw new UserFacingError("The expiry is not in the future", "choose a later date", { path: "expiresAt" });
      }
      return createApiToken(ctx.pool, input.userId ?? ctx.user.id, input.name, input.expiresAt);
    }),

  revokeToken: viewerProcedure.input(z.object({ id: z.string().uuid() })).mutation(async ({ ctx, input }) => {
    await revokeToken(ctx.pool, input.id, ctx.user.role === "ADMIN" ? "anyone" : { userId: ctx.user.id });
    return { ok: true };
  }),
});
