import type { PipelineName } from "@hindcast/contracts";
import type pg from "pg";
import { runEventsChannel } from "../channels";
import { notify } from "../notify";
import { maxJobAttempts, QueueTask } from "../queue";
import { runTransitions } from "./statuses";
import { type Queryable, withTransaction } from "./transaction";

export interface NewRun {
  spec: unknown;
  pipeline: PipelineName;
  /** "gpu" runs only go to workers whose backend is a GPU one. */
  queue?: "any" | "gpu";
  params?: Record<string, unknown>;
  tags?: string[];
  name?: string;
  experimentId?: string;
  parentId?: string;
  createdById?: string;
  /** A sweep trial: its sweep, number and searched values. */
  sweepId?: string;
  trialNumber?: number;
  trial?: Record<string, unknown>;
  /** Runs started together (a list of seeds). */
  runGroup?: string;
}

/** Task that trains a run from `queue`. */
export const trainTask = (queue: "any" | "gpu") => (queue === "gpu" ? QueueTask.trainGpu : QueueTask.trainAny);

/** Adds the queue job of a run (job key = run id, so adding twice never queues it twice). */
export async function addRunJob(db: Queryable, runId: string, task: string): Promise<void> {
  await db.query("SELECT graphile_worker.add_job($1, json_build_object('runId', $2::text), job_key := $2::text, max_attempts := $3)", [
    task,
    runId,
    maxJobAttempts,
  ]);
}

/** Inserts a QUEUED run and its queue job in one transaction; returns the run id. */
export function enqueueRun(pool: pg.Pool, run: NewRun): Promise<string> {
  return withTransaction(pool, (client) => insertRun(client, run));
}

/** The insert + job + notify of enqueueRun, inside the caller's transaction. */
export async function insertRun(db: Queryable, run: NewRun): Promise<string> {
  const [status] = runTransitions.enqueue.to;
  const queue = run.queue ?? "any";
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "Run" ("id", "status", "name", "pipeline", "queue", "spec", "params", "tags", "experimentId", "parentId", "createdById",
                        "sweepId", "trialNumber", "trial", "runGroup", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now()) RETURNING "id"`,
    [
      status,
      run.name ?? null,
      run.pipeline,
      queue,
      JSON.stringify(run.spec),
      JSON.stringify(run.params ?? {}),
      run.tags ?? [],
      run.experimentId ?? null,
      run.parentId ?? null,
      run.createdById ?? null,
      run.sweepId ?? null,
      run.trialNumber ?? null,
      run.trial === undefined ? null : JSON.stringify(run.trial),
      run.runGroup ?? null,
    ],
  );
  const id = (rows[0] as { id: string }).id;
  await addRunJob(db, id, trainTask(queue));
  await notify(db, runEventsChannel, { runId: id, kind: "status", status });
  return id;
}
