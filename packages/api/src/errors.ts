import { randomUUID } from "node:crypto";
import { logger } from "@hindcast/db";
import { TRPCError } from "@trpc/server";
import pg from "pg";

const unreachableMessage = "The database is not reachable right now; try again in a few seconds";
const connectionErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
/** admin_shutdown, crash_shutdown, cannot_connect_now: the server is going down or not up yet. */
const shutdownStates = new Set(["57P01", "57P02", "57P03"]);

function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (connectionErrorCodes.has(code) || shutdownStates.has(code) || code.startsWith("08"))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout/.test(error.message);
}

/** A database error the caller caused, as the answer to give; undefined for the server's own faults. */
function databaseAnswer(error: pg.DatabaseError): TRPCError | undefined {
  const state = error.code ?? "";
  if (state.startsWith("22")) return new TRPCError({ code: "BAD_REQUEST", message: "A value is out of range or malformed" });
  if (state === "23503") return new TRPCError({ code: "NOT_FOUND", message: "A record this refers to does not exist" });
  if (state === "23505") return new TRPCError({ code: "CONFLICT", message: "A record with this name or key already exists" });
  return undefined;
}

/**
 * What a client is told about an error no procedure anticipated: bad values
 * the database refused as 400/404/409, a database that is down as 503, and
 * anything else as a 500 whose details (with a request id to find them) go
 * to the server log only. No answer carries a connection string, a host:port,
 * a file path or a stack.
 */
export function clientError(error: unknown): TRPCError {
  if (isConnectionError(error)) {
    logger.warn({ err: error }, "database unreachable while answering a request");
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: unreachableMessage });
  }
  const answer = error instanceof pg.DatabaseError ? databaseAnswer(error) : undefined;
  if (answer) return answer;
  const requestId = randomUUID().slice(0, 8);
  logger.error({ err: error, requestId }, "unexpected error answering a request");
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: `Internal error; the server log has the details (request id ${requestId})`,
  });
}
