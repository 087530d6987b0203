import type { PipelineName } from "@hindcast/contracts";
import type pg from "pg";
import { runEventsChannel } from "../channels";
import { notify } from "../notify";
import { insertRun } from "./enqueue";
import { type Ending, endRun } from "./finish";
import type { RunStatus, TerminalStatus, Transition } from "./statuses";
import { type Queryable, withTransaction } from "./transaction";

export interface ChildRun {
  name: string;
  spec: unknown;
  params: Record<string, unknown>;
}

/**
 * Fan-out: creates the child runs of a parent (each a `pipeline` run on the
 * parent's queue) and starts counting them on it; see countChildDone.
 * Children carry their parent's tags, experiment and owner, so they read (and
 * filter) as part of it. False when a crashed fan-out already created them.
 */
export function fanOut(pool: pg.Pool, parentId: string, pipeline: PipelineName, children: readonly ChildRun[]): Promise<boolean> {
  return withTransaction(pool, async (db) => {
    const existing = await db.query(`SELECT 1 FROM "Run" WHERE "parentId" = $1`, [parentId]);
    if (existing.rowCount) return false;
    const { rows } = await db.query<{ tags: string[]; experimentId: string | null; createdById: string | null; queue: "any" | "gpu" }>(
      `SELECT "tags", "experimentId", "createdById", "queue" FROM "Run" WHERE "id" = $1`,
      [parentId],
    );
    const parent = rows[0];
    for (const child of children) {
      await insertRun(db, {
        ...child,
        pipeline,
        parentId,
        queue: parent?.queue,
        tags: parent?.tags,
        experimentId: parent?.experimentId ?? undefined,
        createdById: parent?.createdById ?? undefined,
      });
    }
    await db.query(
      `UPDATE "Run" SET "itemsTotal" = $2, "itemsDone" = 0, "phase" = 'windows', "message" = $3, "updatedAt" = now() WHERE "id" = $1`,
      [parentId, children.length, `0/${children.length} windows done`],
    );
    await notify(db, runEventsChannel, { runId: parentId, kind: "progress", percent: 0 });
    return true;
  });
}

export interface ChildOutcome {
  id: string;
  status: RunStatus;
  workerId: string | null;
  message: string | null;
  /** Its results.json artifact, if it saved one. */
  resultsUri: string | null;
}

/** What the aggregate step reads: the parent's status and how each child ended, in the order they were created. */
export async function childOutcomes(
  db: Queryable,
  parentId: string,
): Promise<{ parentStatus: RunStatus | undefined; children: ChildOutcome[] }> {
  const parent = await db.query<{ status: RunStatus }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [parentId]);
  const { rows } = await db.query<ChildOutcome>(
    `SELECT c."id", c."status", c."workerId", c."message", a."uri" AS "resultsUri"
       FROM "Run" c LEFT JOIN "Artifact" a ON a."runId" = c."id" AND a."name" = 'results.json'
      WHERE c."parentId" = $1 ORDER BY c."createdAt"`,
    [parentId],
  );
  return { parentStatus: parent.rows[0]?.status, children: rows };
}

/** end-parent: the aggregate step ends a parallel retrodiction, whichever worker runs it. */
export function endParentRun(pool: pg.Pool, parentId: string, status: TerminalStatus, ending: Ending): Promise<Transition> {
  return withTransaction(pool, (db) => endRun(db, { operation: "end-parent", runId: parentId, status, ending }));
}
