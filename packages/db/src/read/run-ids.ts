import { NotFoundError, UserFacingError } from "@hindcast/contracts";
import type pg from "pg";
import { runsByIdPrefix } from "../runs/index";

/** The most candidates an ambiguous prefix names. */
const maxCandidates = 5;

/**
 * The whole id of each run id prefix (the 8 characters the CLI prints), in
 * order. Every prefix's problem is named at once, so a user fixes them in one
 * go: 404 when the first matches no run, 400 naming the candidates when it
 * matches several.
 */
export async function resolveRunIds(pool: pg.Pool, prefixes: readonly string[]): Promise<string[]> {
  const found = await runsByIdPrefix(pool, prefixes, maxCandidates + 1);
  const problems: { missing: boolean; message: string }[] = [];
  const ids = prefixes.map((prefix, i) => {
    const matches = found[i] ?? [];
    if (matches.length === 1) return (matches[0] as (typeof matches)[number]).id;
    if (!matches.length) problems.push({ missing: true, message: `No run id starts with ${prefix}` });
    else {
      const candidates = matches.slice(0, maxCandidates).map((run) => `${run.id} (${run.name ?? "unnamed"}, ${run.status})`);
      const count = matches.length > maxCandidates ? `more than ${maxCandidates} runs` : `${matches.length} runs`;
      problems.push({
        missing: false,
        message: `${prefix} matches ${count}: ${candidates.join(", ")}${matches.length > maxCandidates ? ", ..." : ""}; give more of the id`,
      });
    }
    return "";
  });
  const first = problems[0];
  if (!first) return ids;
  // The messages say what to do ("give more of the id"); the CLI prints them as they are.
  const message = problems.map((p) => p.message).join("; ");
  throw first.missing ? new NotFoundError(message, "", { path: "prefixes" }) : new UserFacingError(message, "", { path: "prefixes" });
}
