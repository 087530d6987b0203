import type { RunStatus } from "./statuses";
import type { Queryable } from "./transaction";

/** A run's status; undefined when there is no such run. */
export async function runStatus(db: Queryable, runId: string): Promise<RunStatus | undefined> {
  const { rows } = await db.query<{ status: RunStatus }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId]);
  return rows[0]?.status;
}

/** Those of `runIds` whose status is `status`. */
export async function runsInStatus(db: Queryable, runIds: readonly string[], status: RunStatus): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT "id" FROM "Run" WHERE "id" = ANY($1::uuid[]) AND "status" = $2::"RunStatus"`, [
    runIds,
    status,
  ]);
  return rows.map((row) => row.id);
}

export interface RunMatch {
  id: string;
  name: string | null;
  status: RunStatus;
}

/**
 * The runs whose id starts with each prefix (hex digits, dashes where a UUID
 * has them), at most `limit` per prefix, in id order. A prefix is a range of
 * UUIDs (1a2b -> 1a2b0000-... to 1a2bffff-...), so the primary key's index
 * finds them in one query.
 */
export async function runsByIdPrefix(db: Queryable, prefixes: readonly string[], limit: number): Promise<RunMatch[][]> {
  const uuid = (hex: string) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  const hex = prefixes.map((prefix) => prefix.replaceAll("-", ""));
  const { rows } = await db.query<RunMatch & { index: string }>(
    `SELECT p."index", r."id", r."name", r."status"
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS p("low", "high", "index")
       CROSS JOIN LATERAL (SELECT "id", "name", "status" FROM "Run" WHERE "id" BETWEEN p."low" AND p."high" AND "deletedAt" IS NULL ORDER BY "id" LIMIT $3) r
      ORDER BY p."index", r."id"`,
    [hex.map((h) => uuid(h.padEnd(32, "0"))), hex.map((h) => uuid(h.padEnd(32, "f"))), limit],
  );
  const found: RunMatch[][] = prefixes.map(() => []);
  for (const { index, ...run } of rows) found[Number(index) - 1]?.push(run);
  return found;
}
