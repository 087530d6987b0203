// For tests and benches only: runs written straight into the "Run" table, in
// any state, without the worker that would bring them there. Application code
// changes a run only through the lifecycle functions of this folder, which
// keep to runTransitions. Imported as @hindcast/db/runs/seed.
import { randomUUID } from "node:crypto";
import type { RunStatus } from "./statuses";
import type { Queryable } from "./transaction";

export interface SeedRun {
  pipeline: string;
  id?: string;
  name?: string;
  status?: RunStatus;
  queue?: "any" | "gpu";
  spec?: unknown;
  params?: Record<string, unknown>;
  tags?: string[];
  percent?: number;
  resultSummary?: unknown;
  createdById?: string;
  parentId?: string;
  /** The worker that holds it (a "Worker" row). */
  workerId?: string;
  createdAt?: Date;
}

/** Inserts `runs` in one statement (QUEUED, empty spec and params unless given); returns their ids in order. */
export async function seedRuns(db: Queryable, runs: readonly SeedRun[]): Promise<string[]> {
  const rows = runs.map((run) => ({ ...run, id: run.id ?? randomUUID() }));
  await db.query(
    `INSERT INTO "Run" ("id", "name", "status", "pipeline", "queue", "spec", "params", "tags", "percent", "resultSummary",
                        "createdById", "parentId", "workerId", "createdAt", "updatedAt")
     SELECT r."id", r."name", coalesce(r."status", 'QUEUED'), r."pipeline", coalesce(r."queue", 'any'), coalesce(r."spec", '{}'),
            coalesce(r."params", '{}'), coalesce(r."tags", '{}'), coalesce(r."percent", 0), r."resultSummary",
            r."createdById", r."parentId", r."workerId", coalesce(r."createdAt", now()), now()
       FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "name" text, "status" "RunStatus", "pipeline" text, "queue" text, "spec" jsonb,
            "params" jsonb, "tags" text[], "percent" float8, "resultSummary" jsonb, "createdById" uuid, "parentId" uuid, "workerId" uuid,
            "createdAt" timestamptz)`,
    [JSON.stringify(rows)],
  );
  return rows.map((row) => row.id);
}

/** The columns forceRunState may set, with their SQL types. */
const forcible = {
  status: `"RunStatus"`,
  percent: "float8",
  message: "text",
  resultSummary: "jsonb",
  parentId: "uuid",
  updatedAt: "timestamptz",
} as const;

export type ForcedState = Partial<{
  status: RunStatus;
  percent: number;
  message: string;
  resultSummary: unknown;
  parentId: string;
  updatedAt: Date;
}>;

/** Sets a run's columns as given, whatever its status (runTransitions does not apply); "updatedAt" becomes now() unless given. */
export async function forceRunState(db: Queryable, runId: string, state: ForcedState): Promise<void> {
  const entries = (Object.keys(forcible) as (keyof ForcedState)[]).filter((column) => state[column] !== undefined);
  const set = entries.map((column, i) => `"${column}" = $${i + 2}::${forcible[column]}`);
  if (state.updatedAt === undefined) set.push(`"updatedAt" = now()`);
  const values = entries.map((column) => (column === "resultSummary" ? JSON.stringify(state[column]) : state[column]));
  await db.query(`UPDATE "Run" SET ${set.join(", ")} WHERE "id" = $1`, [runId, ...values]);
}
