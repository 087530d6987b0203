import { isUserFacingError } from "@hindcast/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Role } from "./auth.js";
import type { ApiContext } from "./context.js";

/** Every problem of a bad input, each with its field path ("spec.train.epochs"). */
function fieldIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

const t = initTRPC.context<ApiContext>().create({
  transformer: superjson,
  // Never send stack traces to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: { ...shape.data, issues: cause instanceof ZodError ? fieldIssues(cause) : null },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A user error from below (db, models) becomes a 400 with its one-line message, never a 500. */
const userErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isUserFacingError(result.error.cause)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: result.error.cause.toLine(), cause: result.error.cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(userErrors);

const rank: Record<Role, number> = { VIEWER: 0, OPERATOR: 1, ADMIN: 2 };

/** Signed-in users with at least `role`; checked on the server for every call. */
export function procedureFor(role: Role) {
  return publicProcedure.use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in or send an API token (Authorization: Bearer hc_...)" });
    if (rank[ctx.user.role] < rank[role]) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${role.toLowerCase()} role; you are ${ctx.user.role.toLowerCase()}`,
      });
    }
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const viewerProcedure = procedureFor("VIEWER");
export const operatorProcedure = procedureFor("OPERATOR");
export const adminProcedure = procedureFor("ADMIN");
