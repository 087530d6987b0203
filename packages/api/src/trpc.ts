import { issuePath, isUserFacingError } from "@hindcast/contracts";
import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Role } from "./auth";
import { bodyTooLargeMessage } from "./body-limits";
import type { ApiContext } from "./context";
import { clientError, userErrorAnswer } from "./errors";

/** Every problem of a bad input, each with its field path ("spec.train.epochs"). */
function fieldIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
}

const t = initTRPC.context<ApiContext>().create({
  transformer: superjson,
  // Never send stack traces to clients, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // Every error no procedure anticipated passes here, whatever threw it (context, procedure, SSE stream): one place answers them.
    const unexpected = error.code === "INTERNAL_SERVER_ERROR" ? clientError(cause ?? error) : undefined;
    const userError = isUserFacingError(cause) ? cause : undefined;
    // A user error may wrap the zod error that found it (a clone's changed spec): its issues go along, each with its path.
    const invalid = [cause, userError?.cause].find((e): e is ZodError => e instanceof ZodError);
    return {
      ...shape,
      // The HTTP adapter cuts a body off at its limit with a bare code; say which limits apply.
      ...(error.code === "PAYLOAD_TOO_LARGE" ? { message: bodyTooLargeMessage } : {}),
      ...(unexpected ? { message: unexpected.message, code: TRPC_ERROR_CODES_BY_KEY[unexpected.code] } : {}),
      data: {
        ...shape.data,
        ...(unexpected ? { code: unexpected.code, httpStatus: getHTTPStatusCodeFromError(unexpected) } : {}),
        issues: invalid ? fieldIssues(invalid) : null,
        // The input field a user error belongs to (not tRPC's procedure path, which the caller knows), so a form shows it there.
        path: userError?.path ?? null,
        fix: userError?.fix ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** A user error from a procedure or below (db, datasets, models) becomes its 4xx with its one-line message, never a 500. */
const userErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isUserFacingError(result.error.cause)) throw userErrorAnswer(result.error.cause);
  return result;
});

export const crossSiteError = () =>
  new TRPCError({
    code: "FORBIDDEN",
    message: "This request came from another site, so the session cookie may not act; use this dashboard or send an API token",
  });

/**
 * A mutation that would act through the session cookie must come from a
 * page of this server (checked by Origin / Sec-Fetch-Site), or any site the
 * user visits could post to the API with their cookie. Bearer tokens are
 * never sent by a browser on its own, so they need no such check.
 */
const sameOriginMutations = t.middleware(({ ctx, type, next }) => {
  if (type !== "mutation" || ctx.sameOrigin !== false || !ctx.sessionToken) return next();
  if (ctx.credential !== "token") throw crossSiteError();
  return next({ ctx: { sessionToken: undefined } });
});

export const publicProcedure = t.procedure.use(userErrors).use(sameOriginMutations);

const rank: Record<Role, number> = { VIEWER: 0, OPERATOR: 1, ADMIN: 2 };

/** Signed-in users with at least `role`; checked on the server for every call. */
function procedureFor(role: Role) {
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
