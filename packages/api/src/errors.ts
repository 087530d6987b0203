import { randomUUID } from "node:crypto";
import { isUserFacingError, type UserErrorStatus, type UserFacingError } from "@hindcast/contracts";
import { databaseErrorCode, isDatabaseUnavailable, logger } from "@hindcast/db";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

const unreachableMessage = "The database is not reachable right now; try again in a few seconds";

/** A database error the caller caused, as the answer to give; undefined for the server's own faults. */
function databaseAnswer(error: unknown): TRPCError | undefined {
  const state = databaseErrorCode(error) ?? "";
  if (state.startsWith("22")) return new TRPCError({ code: "BAD_REQUEST", message: "A value is out of range or malformed" });
  if (state === "23503") return new TRPCError({ code: "NOT_FOUND", message: "A record this refers to does not exist" });
  if (state === "23505") return new TRPCError({ code: "CONFLICT", message: "A record with this name or key already exists" });
  return undefined;
}

const codeOfStatus = {
  400: "BAD_REQUEST",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  429: "TOO_MANY_REQUESTS",
} as const satisfies Record<UserErrorStatus, TRPC_ERROR_CODE_KEY>;

/** A user error as the answer: its 4xx, its one-line message, and itself as the cause (the error formatter sends its path and fix). */
export function userErrorAnswer(error: UserFacingError): TRPCError {
  return new TRPCError({ code: codeOfStatus[error.status], message: error.toLine(), cause: error });
}

/**
 * What a client is told about an error no procedure anticipated: a user error
 * (thrown where no middleware sees it: the context, a live stream) as its 4xx, bad values
 * the database refused as 400/404/409, a database that is down as 503, and
 * anything else as a 500 whose details (with a request id to find them) go
 * to the server log only. No answer carries a connection string, a host:port,
 * a file path or a stack.
 */
export function clientError(error: unknown): TRPCError {
  if (isUserFacingError(error)) return userErrorAnswer(error);
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, "database unreachable while answering a request");
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: unreachableMessage });
  }
  const answer = databaseAnswer(error);
  if (answer) return answer;
  const requestId = randomUUID().slice(0, 8);
  logger.error({ err: error, requestId }, "unexpected error answering a request");
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: `Internal error; the server log has the details (request id ${requestId})`,
  });
}
