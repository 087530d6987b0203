import type pg from "pg";
import type { ArtifactBlob, ArtifactChunk } from "./generated/prisma/client";

// The SQL of the Postgres artifact store (@hindcast/artifact-store): a blob row plus its chunks, visible once complete.

export type CompleteBlob = Pick<ArtifactBlob, "sha256" | "chunkCount"> & { sizeBytes: number };

type Queryable = Pick<pg.Pool, "query">;

/** A new, incomplete blob; returns its id. */
export async function createArtifactBlob(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`INSERT INTO "ArtifactBlob" ("id") VALUES (gen_random_uuid()) RETURNING "id"`);
  return (rows[0] as { id: string }).id;
}

/** Stores chunk `seq` of an incomplete blob; writing the same chunk again replaces it. */
export async function writeArtifactChunk(db: Queryable, blobId: string, seq: number, sha256: string, data: Uint8Array): Promise<void> {
  await db.query(
    `INSERT INTO "ArtifactChunk" ("blobId", "seq", "sha256", "data") VALUES ($1, $2, $3, $4)
     ON CONFLICT ("blobId", "seq") DO UPDATE SET "sha256" = excluded."sha256", "data" = excluded."data"`,
    [blobId, seq, sha256, Buffer.from(data.buffer, data.byteOffset, data.byteLength)],
  );
}

/** Makes a blob visible once all `chunkCount` chunks are in; false when they are not (or it is gone). */
export async function completeArtifactBlob(db: Queryable, blobId: string, blob: CompleteBlob): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE "ArtifactBlob" SET "complete" = true, "sizeBytes" = $2, "sha256" = $3, "chunkCount" = $4
      WHERE "id" = $1 AND NOT "complete"
        AND (SELECT count(*) FROM "ArtifactChunk" WHERE "blobId" = $1) = $4`,
    [blobId, blob.sizeBytes, blob.sha256, blob.chunkCount],
  );
  return rowCount === 1;
}

/** A complete blob's size, hash and chunk count; undefined for an incomplete or missing one. */
export async function findArtifactBlob(db: Queryable, blobId: string): Promise<CompleteBlob | undefined> {
  const { rows } = await db.query<CompleteBlob>(
    `SELECT "sizeBytes"::float8 AS "sizeBytes", "sha256", "chunkCount" FROM "ArtifactBlob" WHERE "id" = $1 AND "complete"`,
    [blobId],
  );
  return rows[0];
}

/** One chunk as stored (bytea comes back hex-encoded and pg decodes it: its binary mode would decode bytes as UTF-8). */
export async function readArtifactChunk(
  db: Queryable,
  blobId: string,
  seq: number,
): Promise<Pick<ArtifactChunk, "sha256" | "data"> | undefined> {
  const { rows } = await db.query<Pick<ArtifactChunk, "sha256" | "data">>(
    `SELECT "sha256", "data" FROM "ArtifactChunk" WHERE "blobId" = $1 AND "seq" = $2`,
    [blobId, seq],
  );
  return rows[0];
}

/** Deletes a blob and its chunks (complete or not). */
export async function deleteArtifactBlob(db: Queryable, blobId: string): Promise<void> {
  await db.query(`DELETE FROM "ArtifactBlob" WHERE "id" = $1`, [blobId]);
}

/**
 * Deletes blobs older than `olderThanMinutes` that no reader can reach: left
 * incomplete (a writer that died), or complete but named by no Artifact or
 * Checkpoint row (`uriPrefix` + id: a row replaced or deleted while its bytes
 * stayed, e.g. a write retried after its commit). Returns how many.
 */
export async function sweepAbandonedArtifactBlobs(db: Queryable, olderThanMinutes: number, uriPrefix: string): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM "ArtifactBlob" b
      WHERE b."createdAt" < now() - make_interval(mins => $1)
        AND (NOT b."complete"
             OR (NOT EXISTS (SELECT 1 FROM "Artifact" a WHERE a."uri" = $2 || b."id"::text)
                 AND NOT EXISTS (SELECT 1 FROM "Checkpoint" c WHERE c."uri" = $2 || b."id"::text)))`,
    [olderThanMinutes, uriPrefix],
  );
  return rowCount ?? 0;
}
