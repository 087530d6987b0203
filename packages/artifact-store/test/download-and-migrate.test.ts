import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { seedRuns } from "@hindcast/db/runs/seed";
import { apiTest } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect } from "vitest";
import { artifactStoreConfig, FolderBackend, migrateFileArtifacts, openArtifactStore } from "../src/index";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function newRun(pool: pg.Pool): Promise<string> {
  const [id] = await seedRuns(pool, [{ status: "SUCCEEDED", pipeline: "retrodiction" }]);
  return id as string;
}

async function recordRow(pool: pg.Pool, runId: string, name: string, uri: string, bytes: Uint8Array): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Artifact" ("id", "runId", "name", "kind", "uri", "contentType", "sizeBytes", "sha256")
     VALUES (gen_random_uuid(), $1, $2, 'model', $3, 'application/octet-stream', $4, $5) RETURNING "id"`,
    [runId, name, uri, bytes.byteLength, sha256(bytes)],
  );
  return (rows[0] as { id: string }).id;
}

describe("downloads through the artifact store", () => {
  apiTest(
    "serves a pg-stored artifact with its size and ETag, cuts off a corrupt one, and says 410 when its bytes are gone",
    async ({ api, pool }) => {
      const store = openArtifactStore(pool, artifactStoreConfig({ HINDCAST_ARTIFACT_STORE: "postgres" }));
      const runId = await newRun(pool);
      const bytes = randomBytes(3 * 1024 * 1024 + 7);
      const stored = await store.write(`${runId}/model/weights.bin`, bytes);
      const id = await recordRow(pool, runId, "model/weights.bin", stored.uri, bytes);
      const url = `${api.origin}/api/artifacts/${id}`;
      const auth = { authorization: `Bearer ${api.tokens.viewer}` };

      const download = await fetch(url, { headers: auth });
      expect(download.status).toBe(200);
      expect(download.headers.get("content-length")).toBe(String(bytes.byteLength));
      expect(download.headers.get("etag")).toBe(`"${sha256(bytes)}"`);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
      expect((await fetch(url, { headers: { ...auth, "if-none-match": `"${sha256(bytes)}"` } })).status).toBe(304);

      // The last chunk corrupted: the headers are out by then, so the answer breaks off instead of ending as if whole.
      const blobId = stored.uri.slice("pg-artifact:".length);
      await pool.query(
        `UPDATE "ArtifactChunk" SET "data" = overlay("data" placing '\\xff'::bytea from 1) WHERE "blobId" = $1 AND "seq" = 3`,
        [blobId],
      );
      const corrupt = await fetch(url, { headers: auth });
      expect(corrupt.status).toBe(200);
      await expect(corrupt.arrayBuffer()).rejects.toThrow();

      await store.remove(stored.uri);
      const gone = await fetch(url, { headers: auth });
      expect(gone.status).toBe(410);
      const answer = await gone.text();
      expect(answer).toBe("The file of artifact model/weights.bin is gone from the artifact store");
      expect(answer).not.toContain("pg-artifact");
    },
  );
});

describe("migrating file:// artifacts", () => {
  apiTest(
    "moves files into the postgres store, points Artifact and Checkpoint rows at them, and finds nothing on a second run",
    async ({ pool, tempDir }) => {
      const root = path.join(tempDir, "artifacts");
      const folder = new FolderBackend(root);
      const target = openArtifactStore(pool, artifactStoreConfig({ HINDCAST_ARTIFACT_STORE: "postgres", HINDCAST_ARTIFACTS_DIR: root }));
      const runId = await newRun(pool);
      const files = {
        "results.json": Buffer.from('{"windows":[],"overall":null}'),
        "checkpoints/step-5.ckpt": randomBytes(2 * 1024 * 1024 + 3),
      };
      const uris: Record<string, string> = {};
      for (const [name, bytes] of Object.entries(files)) {
        const file = path.join(root, runId, name);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, bytes);
        uris[name] = pathToFileURL(file).href;
        await recordRow(pool, runId, name, uris[name] as string, bytes);
      }
      await pool.query(`INSERT INTO "Checkpoint" ("id", "runId", "step", "uri") VALUES (gen_random_uuid(), $1, 5, $2)`, [
        runId,
        uris["checkpoints/step-5.ckpt"],
      ]);
      const gone = pathToFileURL(path.join(root, runId, "gone.bin")).href;
      await recordRow(pool, runId, "gone.bin", gone, new Uint8Array());

      const dryRun = await migrateFileArtifacts(pool, folder, target, { dryRun: true });
      expect(dryRun).toEqual({
        moved: 2,
        bytes: files["results.json"].byteLength + files["checkpoints/step-5.ckpt"].byteLength,
        missing: 1,
        outside: 0,
      });
      expect((await pool.query(`SELECT count(*)::int AS n FROM "Artifact" WHERE "uri" LIKE 'file:%'`)).rows[0].n).toBe(3);

      expect(await migrateFileArtifacts(pool, folder, target)).toEqual({ ...dryRun });
      const { rows } = await pool.query<{ name: string; uri: string; checkpointUri: string | null }>(
        `SELECT a."name", a."uri", c."uri" AS "checkpointUri" FROM "Artifact" a LEFT JOIN "Checkpoint" c ON c."uri" = a."uri" WHERE a."runId" = $1 ORDER BY a."name"`,
        [runId],
      );
      const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
      expect(byName["gone.bin"]?.uri).toBe(gone);
      for (const [name, bytes] of Object.entries(files)) {
        const uri = byName[name]?.uri as string;
        expect(uri).toMatch(/^pg-artifact:/);
        expect(Buffer.from(await target.readAll(uri)).equals(bytes)).toBe(true);
        await expect(stat(new URL(uris[name] as string))).rejects.toMatchObject({ code: "ENOENT" });
      }
      expect(byName["checkpoints/step-5.ckpt"]?.checkpointUri).toBe(byName["checkpoints/step-5.ckpt"]?.uri);

      expect(await migrateFileArtifacts(pool, folder, target)).toEqual({ moved: 0, bytes: 0, missing: 1, outside: 0 });
    },
  );

  apiTest("refuses a file that no longer matches its recorded hash, and leaves its row and file", async ({ pool, tempDir }) => {
    const root = path.join(tempDir, "changed");
    const target = openArtifactStore(pool, artifactStoreConfig({ HINDCAST_ARTIFACTS_DIR: root }));
    const runId = await newRun(pool);
    const file = path.join(root, runId, "model.bin");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "changed since");
    await recordRow(pool, runId, "model.bin", pathToFileURL(file).href, Buffer.from("as recorded"));
    const outcomes: string[] = [];
    const migrating = migrateFileArtifacts(pool, new FolderBackend(root), target, { onArtifact: ({ outcome }) => outcomes.push(outcome) });
    await expect(migrating).rejects.toThrow(/no longer matches the SHA-256 recorded/);
    // The first test's file:// row that is still there lies outside this folder: left alone, not a failure.
    expect(outcomes).toEqual(["outside"]);
    expect(await readFile(file, "utf8")).toBe("changed since");
    expect((await pool.query(`SELECT "uri" FROM "Artifact" WHERE "runId" = $1`, [runId])).rows[0].uri).toBe(pathToFileURL(file).href);
  });
});
