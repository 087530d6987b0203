import { TRPCClientError } from "@trpc/client";
import type { ApiClient } from "./client";
import { CliError } from "./errors.mjs";

const wholeId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The whole run ids of what the user typed: a whole id as it is, a prefix
 * (the 8 characters the CLI prints) through the server, which refuses one
 * that matches no run or several, naming the candidates.
 */
export async function resolveRunIds(client: ApiClient, typed: readonly string[]): Promise<string[]> {
  const prefixes = typed.filter((id) => !wholeId.test(id));
  if (!prefixes.length) return [...typed];
  let resolved: string[];
  try {
    ({ ids: resolved } = await client.training.resolveIds.query({ prefixes }));
  } catch (error) {
    // The server names a bad prefix by its place in the request ("prefixes.1"); name it as typed.
    const issues =
      error instanceof TRPCClientError ? (error.data as { issues?: { path: string; message: string }[] } | undefined)?.issues : null;
    if (issues?.length) {
      throw new CliError(
        issues.map((issue) => `run id ${prefixes[Number(issue.path.split(".")[1])] ?? issue.path}: ${issue.message}`).join("; "),
      );
    }
    throw error;
  }
  const byPrefix = new Map(prefixes.map((prefix, i) => [prefix, resolved[i] as string]));
  return typed.map((id) => byPrefix.get(id) ?? id);
}
