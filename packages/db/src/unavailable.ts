/** Node socket and DNS errors of a connection that failed or broke. */
const socketCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
/** admin_shutdown, crash_shutdown, cannot_connect_now (the server is going down or not up yet), too_many_connections. */
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300"]);
/** What pg throws, without a code, when the server closes the socket under a query or the pool cannot connect in time. */
const connectionLostMessage =
  /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout/;

/**
 * Prisma Client's own codes as the SQLSTATE or socket code they stand for: server unreachable, timed out,
 * connection closed, no pooled connection in time; unique and foreign-key violations.
 */
const prismaCodes: Record<string, string> = {
  P1001: "ECONNREFUSED",
  P1002: "ETIMEDOUT",
  P1017: "ECONNRESET",
  P2024: "ETIMEDOUT",
  P2002: "23505",
  P2003: "23503",
};
/** The driver adapter's kinds of connection failure (@prisma/adapter-pg). */
const adapterKinds: Record<string, string> = {
  DatabaseNotReachable: "ECONNREFUSED",
  ConnectionClosed: "ECONNRESET",
  SocketTimeout: "ETIMEDOUT",
  TooManyConnections: "53300",
};

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The SQLSTATE or socket code of a database error: pg's own, or the one under
 * a Prisma Client error (its driver adapter's cause), so callers judge both
 * alike.
 */
export function databaseErrorCode(error: unknown): string | undefined {
  const cause = field(field(field(error, "meta"), "driverAdapterError"), "cause");
  if (cause !== undefined) return text(field(cause, "originalCode")) ?? adapterKinds[text(field(cause, "kind")) ?? ""];
  const code = text(field(error, "code"));
  return code === undefined ? undefined : (prismaCodes[code] ?? code);
}

/**
 * True when the database could not be reached or dropped the connection
 * (restarting, shutting down, full): worth answering 503 or retrying the
 * same statement, never the caller's fault.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = databaseErrorCode(error);
  if (code !== undefined && (socketCodes.has(code) || unavailableStates.has(code) || code.startsWith("08"))) return true;
  return error instanceof Error && connectionLostMessage.test(error.message);
}
