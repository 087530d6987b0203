import type { AppRouter } from "@hindcast/api";
import { issueLine } from "@hindcast/contracts";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";
import type { Credentials } from "./credentials";
import { CliError, ExitCode } from "./errors.mjs";

/** Queries and mutations batched over HTTP; subscriptions over SSE (Node 20 has no EventSource: the `eventsource` package, which can send our token). */
export function apiClient(credentials: Credentials) {
  const authorization = `Bearer ${credentials.token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: credentials.server,
          transformer: superjson,
          EventSource,
          eventSourceOptions: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, authorization } }) },
        }),
        false: httpBatchLink({ url: credentials.server, transformer: superjson, headers: { authorization } }),
      }),
    ],
  });
}
export type ApiClient = ReturnType<typeof apiClient>;

/** What is under fetch's "fetch failed": the socket error code, else the innermost message ("bad port"). */
function networkReason(error: unknown): string {
  let reason = String((error as Error).message);
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0;
    e && depth < 6;
    depth++
  ) {
    if (e.code === "ECONNREFUSED") return "connection refused";
    if (typeof e.code === "string") return e.code;
    if (typeof e.message === "string" && e.message) reason = e.message;
    e = (e.cause ?? e.errors?.[0]) as typeof e;
  }
  return reason;
}

/** Whether something answered with a body that is not tRPC's JSON (an HTML page, a proxy's error): no network error underneath. */
function answeredWithoutApi(error: TRPCClientError<never>): boolean {
  for (let e: unknown = error.cause, depth = 0; e && depth < 6; depth++) {
    if (e instanceof SyntaxError) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return /Unexpected token|is not valid JSON|Unexpected end of JSON/.test(error.message);
}

/** One line for what went wrong talking to the server. */
export function describeApiError(error: unknown, server: string): CliError {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; issues?: { path: string; message: string }[] | null } | undefined;
    if (data?.code === "UNAUTHORIZED")
      return new CliError(`The server at ${server} rejected the API token. Fix: hindcast login --token <a valid token>`);
    if (data?.code === "FORBIDDEN") return new CliError(error.message);
    if (data?.issues?.length) return new CliError(data.issues.map(issueLine).join("; "));
    // A user error's message is one line with its fix; the API field it names (data.path) is for forms.
    if (data?.code) return new CliError(error.message);
    if (answeredWithoutApi(error)) {
      return new CliError(
        `${server} answered, but it is not a Hindcast API (the answer was not tRPC JSON). Fix: pass --server the dashboard's address, e.g. http://127.0.0.1:3000`,
        ExitCode.usage,
      );
    }
    return unreachable(server, error);
  }
  return new CliError(String((error as Error)?.message ?? error));
}

/** The error of a request that found no server at `server`. */
export function unreachable(server: string, error: unknown): CliError {
  return new CliError(
    `Cannot reach the Hindcast server at ${server} (${networkReason(error)}). Fix: start it (npm start) or pass --server <url>`,
    ExitCode.usage,
  );
}
