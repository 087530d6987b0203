import type pg from "pg";
import { prismaOf } from "./client";
import type { Artifact } from "./generated/prisma/client";

export type ArtifactRecord = Pick<Artifact, "runId" | "name" | "kind" | "uri" | "contentType" | "sha256"> & { sizeBytes: number };

// The worker retries these writes on pg's connection-loss errors (Prisma would wrap them), hence plain SQL.

/** Records a run's file, replacing the row of the same run and name (a rewritten file is new again). */
export async function recordArtifact(pool: pg.Pool, artifact: ArtifactRecord): Promise<void> {
  await pool.query(
    `INSERT INTO "Artifact" ("id", "runId", "name", "kind", "uri", "contentType", "sizeBytes", "sha256", "createdAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT ("runId", "name") DO UPDATE SET
       "uri" = excluded."uri", "kind" = excluded."kind", "contentType" = excluded."contentType",
       "sizeBytes" = excluded."sizeBytes", "sha256" = excluded."sha256", "createdAt" = excluded."createdAt"`,
    [artifact.runId, artifact.name, artifact.kind, artifact.uri, artifact.contentType, artifact.sizeBytes, artifact.sha256],
  );
}

export async function deleteArtifact(pool: pg.Pool, runId: string, uri: string): Promise<void> {
  await pool.query(`DELETE FROM "Artifact" WHERE "runId" = $1 AND "uri" = $2`, [runId, uri]);
}

/** What a download needs of an artifact; null when there is none with this id. */
export function findArtifact(pool: pg.Pool, id: string): Promise<Pick<Artifact, "name" | "uri" | "contentType"> | null> {
  return prismaOf(pool).artifact.findUnique({ where: { id }, select: { name: true, uri: true, contentType: true } });
}
