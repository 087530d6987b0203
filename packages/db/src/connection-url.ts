import { UserFacingError } from "@hindcast/contracts";

const example = "postgresql://user:password@127.0.0.1:5432/hindcast";

/** Checks a connection URL before anything connects with it. */
export function parseDatabaseUrl(raw: string, variable = "DATABASE_URL"): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserFacingError(
      `${variable} is not a valid URL ("${redact(raw)}")`,
      `set it to a PostgreSQL URL such as ${example}, or unset it to use the embedded database`,
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new UserFacingError(
      `${variable} uses the scheme "${url.protocol.replace(/:$/, "")}", not postgresql`,
      `set it to a PostgreSQL URL such as ${example}`,
    );
  }
  if (!url.hostname && !url.searchParams.get("host")) {
    throw new UserFacingError(`${variable} names no host`, `set it to a URL such as ${example}`);
  }
  if (databaseName(url) === "") {
    throw new UserFacingError(`${variable} names no database`, `add one to the path, as in ${example}`);
  }
  return url;
}

function databaseName(url: URL): string {
  return decodeURIComponent(url.pathname.replace(/^\//, ""));
}

/** The same server, another database. */
export function withDatabase(raw: string, database: string): string {
  const url = new URL(raw);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** A URL with its password masked, for messages and logs. */
export function redact(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return raw.replace(/:[^:@/]*@/, ":***@");
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/**
 * Turns a driver error raised while connecting into one line that names the
 * problem and the fix; returns the error unchanged when it is not about
 * connecting.
 */
export function describeConnectError(error: unknown, raw: string, variable = "DATABASE_URL"): unknown {
  const err = (error ?? {}) as PgLikeError;
  const url = new URL(raw);
  const where = `${url.hostname || "localhost"}:${url.port || "5432"}`;
  const db = databaseName(url);
  const viaEnv = `check ${variable}, or unset it to use the embedded database`;
  switch (err.code) {
    case "ECONNREFUSED":
      return new UserFacingError(`Cannot reach PostgreSQL at ${where} (connection refused)`, `start the server or ${viaEnv}`, {
        cause: error,
      });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new UserFacingError(`Cannot resolve the database host "${url.hostname}"`, viaEnv, { cause: error });
    case "ETIMEDOUT":
      return new UserFacingError(
        `Timed out connecting to PostgreSQL at ${where}`,
        `check that the server is up and reachable, or ${viaEnv}`,
        { cause: error },
      );
    case "3D000":
      return new UserFacingError(
        `Database "${db}" does not exist on ${where}`,
        `create it (createdb ${db}) or point ${variable} at an existing one`,
        { cause: error },
      );
    case "28P01":
    case "28000":
      return new UserFacingError(
        `PostgreSQL at ${where} rejected user "${decodeURIComponent(url.username)}": ${err.message}`,
        `fix the user and password in ${variable}`,
        { cause: error },
      );
    default:
      return error;
  }
}
