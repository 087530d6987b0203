// What a training reports as it runs. Each write is one statement that also
// NOTIFYs run_events, so watchers hear of exactly what was committed.

import type { RunProgress, StageEventRecord } from "@hindcast/contracts";
import { runEventsChannel } from "../channels";
import { notifiedMessage, runEventPayload } from "./run-events";
import type { Queryable } from "./transaction";

/** Adds a stage event to a run's timeline. */
export async function recordStageEvent(db: Queryable, runId: string, event: StageEventRecord): Promise<void> {
  await db.query(
    `WITH inserted AS (
       INSERT INTO "StageEvent" ("runId", "attempt", "stage", "kind", "durationMs", "message", "details", "at")
       VALUES ($1, $2, $3, $4::"StageEventKind", $5, $6, $7::jsonb, $8)
       RETURNING 1
     )
     SELECT pg_notify($9, $10) FROM inserted`,
    [
      runId,
      event.attempt,
      event.stage,
      event.kind,
      event.durationMs === undefined ? null : Math.round(event.durationMs),
      event.message ?? null,
      event.details === undefined ? null : JSON.stringify(event.details),
      event.at,
      runEventsChannel.name,
      runEventPayload({ runId, kind: "stage" }),
    ],
  );
}

/** Stores a run's progress. */
export async function writeRunProgress(db: Queryable, runId: string, progress: RunProgress): Promise<void> {
  await db.query(
    `WITH updated AS (
       UPDATE "Run" SET "phase" = $2, "step" = $3, "totalSteps" = $4, "itemsDone" = $5, "itemsTotal" = $6,
                        "percent" = $7, "etaSeconds" = $8, "samplesPerSecond" = $9, "message" = $10, "updatedAt" = now()
        WHERE "id" = $1
       RETURNING 1
     )
     SELECT pg_notify($11, $12) FROM updated`,
    [
      runId,
      progress.phase,
      progress.step,
      progress.totalSteps,
      progress.itemsDone,
      progress.itemsTotal,
      progress.percent,
      progress.etaSeconds,
      progress.samplesPerSecond,
      progress.message,
      runEventsChannel.name,
      runEventPayload({ runId, kind: "progress", percent: progress.percent, message: notifiedMessage(progress.message) }),
    ],
  );
}
