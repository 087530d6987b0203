import { runEventsChannel } from "../channels";
import { notify } from "../notify";
import { QueueTask } from "../queue";
import { addRunJob } from "./enqueue";
import type { Queryable } from "./transaction";

/**
 * Fan-in: a child run of a parallel retrodiction has ended. Counted on the
 * parent in the same transaction as the child's end; the last one queues the
 * parent's aggregate step.
 */
export async function countChildDone(db: Queryable, parentId: string): Promise<void> {
  const { rows } = await db.query<{ itemsDone: number; itemsTotal: number | null }>(
    `UPDATE "Run" SET "itemsDone" = "itemsDone" + 1, "updatedAt" = now(),
            "percent" = CASE WHEN coalesce("itemsTotal", 0) > 0 THEN 100.0 * ("itemsDone" + 1) / "itemsTotal" ELSE "percent" END,
            "message" = ("itemsDone" + 1) || '/' || coalesce("itemsTotal", 0) || ' windows done'
      WHERE "id" = $1 RETURNING "itemsDone", "itemsTotal"`,
    [parentId],
  );
  const parent = rows[0];
  await notify(db, runEventsChannel, { runId: parentId, kind: "progress" });
  if (parent && parent.itemsTotal !== null && parent.itemsDone >= parent.itemsTotal) await addRunJob(db, parentId, QueueTask.aggregate);
}
