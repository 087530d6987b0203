import type { AppRouter } from "@hindcast/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { accounts, e2eBaseUrl, type Role } from "./env";

/** A typed API client signed in as `role` (with a fresh API token), for seeding data in tests. */
export async function apiAs(role: Role) {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${e2eBaseUrl}/api/trpc`, transformer: superjson })] });
  const { token } = await anonymous.users.login.mutate({ ...accounts[role], tokenName: "e2e" });
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${e2eBaseUrl}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
  });
}
