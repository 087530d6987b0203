import type pg from "pg";
import { prismaOf } from "../client";
import type { Experiment, Run } from "../generated/prisma/client";

export type ExperimentRow = Pick<Experiment, "id" | "name" | "description" | "createdAt"> & {
  runs: number;
  /** Runs queued, running or cancelling. */
  active: number;
  lastRunAt: Run["createdAt"] | null;
};

/** Experiments with their run counts by status, most recently active first. */
export async function listExperiments(pool: pg.Pool): Promise<ExperimentRow[]> {
  const { rows } = await pool.query<ExperimentRow>(
    `SELECT e."id", e."name", e."description", e."createdAt",
            count(r."id")::int AS "runs",
            count(r."id") FILTER (WHERE r."status" IN ('QUEUED', 'RUNNING', 'CANCELLING'))::int AS "active",
            max(r."createdAt") AS "lastRunAt"
       FROM "Experiment" e LEFT JOIN "Run" r ON r."experimentId" = e."id" AND r."deletedAt" IS NULL
      GROUP BY e."id" ORDER BY max(r."createdAt") DESC NULLS LAST, e."createdAt" DESC`,
  );
  return rows;
}

/** The id of the experiment with this name, made if missing (names are unique); a description given replaces the old one. */
export async function ensureExperiment(pool: pg.Pool, name: string, userId: string, description?: string): Promise<string> {
  const experiment = await prismaOf(pool).experiment.upsert({
    where: { name },
    create: { name, description, createdById: userId },
    // An undefined description leaves the stored one.
    update: { description },
    select: { id: true },
  });
  return experiment.id;
}
