import type pg from "pg";
import { prismaOf } from "./client";
import type { Artifact } from "./generated/prisma/client";

export type ArtifactRecord = Pick<Artifact, "runId" | "name" | "kind" | "uri" | "contentType" | "sha256"> & { sizeBytes: number };

// The worker retries these writes on pg's connection-loss errors (Prisma would wrap them), hence plain SQL.

/**
 * Records a run's file, replacing the row of the same run and name (a rewritten
 * file is new again); returns the URI the replaced row named, if there was one.
 */
export async function recordArtifact(pool: pg.Pool, artifact: ArtifactRecord): Promise<string | undefined> {
  const { rows } = await pool.query<{ replaced: string | null }>(
    `WITH old AS (SELECT "uri" FROM "Artifact" WHERE "runId" = $1 AND "name" = $2)
     INSERT INTO "Artifact" ("id", "runId", "name", "kind", "uri", "contentType", "sizeBytes", "sha256", "createdAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT ("runId", "name") DO UPDATE SET
       "uri" = excluded."uri", "kind" = excluded."kind", "contentType" = excluded."contentType",
       "sizeBytes" = excluded."sizeBytes", "sha256" = excluded."sha256", "createdAt" = excluded."createdAt"
     RETURNING (SELECT "uri" FROM old) AS replaced`,
    [artifact.runId, artifact.name, artifact.kind, artifact.uri, artifact.contentType, artifact.sizeBytes, artifact.sha256],
  );
  return rows[0]?.replaced ?? undefined;
}

/** Deletes a run's row naming `uri`; true when there was one. */
export async function deleteArtifact(pool: pg.Pool, runId: string, uri: string): Promise<boolean> {
  const { rowCount } = await pool.query(`DELETE FROM "Artifact" WHERE "runId" = $1 AND "uri" = $2`, [runId, uri]);
  return rowCount === 1;
}

/** What a download needs of an artifact; null when there is none with this id. */
export function findArtifact(pool: pg.Pool, id: string): Promise<Pick<Artifact, "name" | "uri" | "contentType" | "sha256"> | null> {
  return prismaOf(pool).artifact.findUnique({ where: { id }, select: { name: true, uri: true, contentType: true, sha256: true } });
}

/** A stored file that Artifact and/or Checkpoint rows name, with the hash its Artifact row recorded (if any). */
export interface ArtifactLocation {
  uri: string;
  sha256: string | null;
}

/** Every distinct URI with this prefix (e.g. "file:") that an Artifact or a Checkpoint row names, oldest rows first. */
export async function artifactUrisWithPrefix(pool: pg.Pool, prefix: string): Promise<ArtifactLocation[]> {
  const { rows } = await pool.query<ArtifactLocation>(
    `SELECT "uri", max("sha256") AS "sha256" FROM (
       SELECT "uri", "sha256", "createdAt" FROM "Artifact" WHERE starts_with("uri", $1)
       UNION ALL
       SELECT "uri", NULL, "createdAt" FROM "Checkpoint" WHERE starts_with("uri", $1)) named
     GROUP BY "uri" ORDER BY min("createdAt"), "uri"`,
    [prefix],
  );
  return rows;
}

/** Points every Artifact and Checkpoint row naming `from` at `to`, in one transaction; returns how many rows changed. */
export async function moveArtifactUri(pool: pg.Pool, from: string, to: string): Promise<number> {
  const { rows } = await pool.query<{ changed: number }>(
    `WITH artifacts AS (UPDATE "Artifact" SET "uri" = $2 WHERE "uri" = $1 RETURNING 1),
          checkpoints AS (UPDATE "Checkpoint" SET "uri" = $2 WHERE "uri" = $1 RETURNING 1)
     SELECT (SELECT count(*) FROM artifacts)::int + (SELECT count(*) FROM checkpoints)::int AS changed`,
    [from, to],
  );
  return rows[0]?.changed ?? 0;
}
