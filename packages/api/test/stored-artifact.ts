import { artifactStoreConfig, openArtifactStore, type StoredArtifact } from "@hindcast/artifact-store";
import { recordArtifact } from "@hindcast/db";
import type pg from "pg";

/** What a test gets back of an artifact it stored: the store's answer and the Artifact row's id. */
export type StoredTestArtifact = StoredArtifact & { id: string };

/**
 * Writes `content` as JSON through the default artifact store (PostgreSQL, as
 * a worker with no store settings writes) and records it as run `runId`'s
 * artifact `name`, as the worker does.
 */
export async function storeJsonArtifact(
  pool: pg.Pool,
  runId: string,
  content: unknown,
  name = "results.json",
): Promise<StoredTestArtifact> {
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  const stored = await openArtifactStore(pool, artifactStoreConfig({})).write(`${runId}/${name}`, bytes);
  await recordArtifact(pool, { runId, name, kind: "results", contentType: "application/json", ...stored });
  const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Artifact" WHERE "runId" = $1 AND "name" = $2`, [runId, name]);
  return { ...stored, id: rows[0]?.id as string };
}

/** An artifact whose row stays while its bytes are removed from the store. */
export async function storeGoneArtifact(pool: pg.Pool, runId: string, name = "results.json"): Promise<StoredTestArtifact> {
  const stored = await storeJsonArtifact(pool, runId, null, name);
  await openArtifactStore(pool, artifactStoreConfig({})).remove(stored.uri);
  return stored;
}
