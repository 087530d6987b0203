import { createHash, randomBytes } from "node:crypto";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { recordArtifact, sweepAbandonedArtifactBlobs } from "@hindcast/db";
import { seedRuns } from "@hindcast/db/runs/seed";
import { dbTest } from "@hindcast/test-support";
import { describe, expect } from "vitest";
import { ArtifactCorruptError, ArtifactMissingError, artifactStoreConfig, openArtifactStore, postgresScheme } from "../src/index";

const megabyte = 1024 * 1024;

/** The bytes of a large artifact, piece by piece in odd sizes (so pieces straddle chunks); `hash` sees each piece. */
async function* largeArtifact(totalBytes: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  const pattern = randomBytes(megabyte);
  const pieceBytes = 700_001;
  for (let offset = 0, index = 0; offset < totalBytes; offset += pieceBytes, index++) {
    const piece = Buffer.alloc(Math.min(pieceBytes, totalBytes - offset));
    pattern.copy(piece, 0, index % 16, (index % 16) + piece.byteLength);
    piece.writeUInt32BE(index, 0);
    hash.update(piece);
    yield piece;
  }
}

// A full collection before each sample, so that samples measure what is held, not garbage not yet collected.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** The most the process's heap and array buffers held over the start while sampled (every 8th sample collects garbage first). */
function memoryWatch(): { sample(): void; growthBytes(): number } {
  let samples = 0;
  const used = () => {
    collectGarbage();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const start = used();
  let peak = start;
  return {
    sample: () => {
      if (samples++ % 8 === 0) peak = Math.max(peak, used());
    },
    growthBytes: () => peak - start,
  };
}

const storeOn = (pool: Parameters<typeof openArtifactStore>[0]) =>
  openArtifactStore(pool, artifactStoreConfig({ HINDCAST_ARTIFACT_STORE: "postgres" }));

describe("the postgres artifact store", () => {
  dbTest("writes and reads back a 200 MB artifact chunk by chunk, with bounded memory", async ({ pool }) => {
    const store = storeOn(pool);
    const totalBytes = 200 * megabyte;
    const written = createHash("sha256");
    const writing = memoryWatch();
    const source = largeArtifact(totalBytes, written);
    async function* watched(): AsyncGenerator<Uint8Array> {
      for await (const piece of source) {
        writing.sample();
        yield piece;
      }
    }
    const stored = await store.write("run-1/model/weights.bin", watched());
    const sha256 = written.digest("hex");
    expect(stored).toEqual({ uri: expect.stringMatching(/^pg-artifact:[0-9a-f-]{36}$/), sizeBytes: totalBytes, sha256 });
    expect(await store.stat(stored.uri)).toEqual({ sizeBytes: totalBytes, sha256 });

    const reading = memoryWatch();
    const read = createHash("sha256");
    let readBytes = 0;
    for await (const chunk of store.read(stored.uri)) {
      reading.sample();
      read.update(chunk);
      readBytes += chunk.byteLength;
    }
    expect(readBytes).toBe(totalBytes);
    expect(read.digest("hex")).toBe(sha256);
    expect(writing.growthBytes()).toBeLessThan(64 * megabyte);
    expect(reading.growthBytes()).toBeLessThan(64 * megabyte);
    await store.remove(stored.uri);
    expect(await store.stat(stored.uri)).toBeUndefined();
  });

  dbTest("refuses a corrupted chunk, naming the artifact and the chunk", async ({ pool }) => {
    const store = storeOn(pool);
    const { uri } = await store.write("run-1/checkpoints/step-1.ckpt", randomBytes(3 * megabyte + 10));
    const blobId = uri.slice("pg-artifact:".length);
    await pool.query(
      `UPDATE "ArtifactChunk" SET "data" = overlay("data" placing '\\x00ff'::bytea from 100) WHERE "blobId" = $1 AND "seq" = 2`,
      [blobId],
    );
    const error = await store.readAll(uri).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactCorruptError);
    expect((error as Error).message).toBe(`artifact ${uri} is corrupt: chunk 2 of 4 fails its SHA-256 check`);
  });

  dbTest("refuses a chunk replaced together with its hash by the whole file's hash", async ({ pool }) => {
    const store = storeOn(pool);
    const { uri } = await store.write("run-1/model.bin", randomBytes(2 * megabyte));
    await pool.query(
      `UPDATE "ArtifactChunk" c SET "data" = first."data", "sha256" = first."sha256"
         FROM "ArtifactChunk" first WHERE first."blobId" = c."blobId" AND first."seq" = 0 AND c."blobId" = $1 AND c."seq" = 1`,
      [uri.slice("pg-artifact:".length)],
    );
    await expect(store.readAll(uri)).rejects.toThrow(/do not match the recorded size \(2097152\) and SHA-256/);
  });

  dbTest("keeps a blob whose writer died invisible, and sweeps it with the blobs no row names", async ({ pool }) => {
    const store = storeOn(pool);
    async function* dies(): AsyncGenerator<Uint8Array> {
      yield randomBytes(2 * megabyte);
      throw new Error("worker killed");
    }
    const blobs = async () => (await pool.query(`SELECT count(*)::int AS n FROM "ArtifactBlob"`)).rows[0].n;
    const before = await blobs();
    await expect(store.write("run-1/big.bin", dies())).rejects.toThrow("worker killed");
    expect(await blobs()).toBe(before);

    // A writer killed outright leaves its rows: readers do not see them until the sweep deletes them.
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "ArtifactBlob" ("id", "createdAt") VALUES (gen_random_uuid(), now() - interval '2 hours') RETURNING "id"`,
    );
    const crashed = `pg-artifact:${rows[0]?.id}`;
    await pool.query(`INSERT INTO "ArtifactChunk" ("blobId", "seq", "sha256", "data") VALUES ($1, 0, 'x', '\\x00'::bytea)`, [rows[0]?.id]);
    expect(await store.stat(crashed)).toBeUndefined();
    await expect(store.readAll(crashed)).rejects.toBeInstanceOf(ArtifactMissingError);
    const recent = await store.write("run-1/recent.bin", new Uint8Array([1, 2, 3]));
    // Old and complete: kept while a row names it, swept once none does.
    const [runId] = await seedRuns(pool, [{ pipeline: "retrodiction" }]);
    const named = await store.write(`${runId}/named.bin`, new Uint8Array([4]));
    const orphan = await store.write(`${runId}/orphan.bin`, new Uint8Array([5]));
    await recordArtifact(pool, {
      runId: runId as string,
      name: "named.bin",
      kind: "model",
      uri: named.uri,
      contentType: null,
      sizeBytes: 1,
      sha256: named.sha256,
    });
    await pool.query(`UPDATE "ArtifactBlob" SET "createdAt" = now() - interval '2 hours' WHERE 'pg-artifact:' || "id" IN ($1, $2)`, [
      named.uri,
      orphan.uri,
    ]);
    expect(await sweepAbandonedArtifactBlobs(pool, 60, postgresScheme)).toBe(2);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "ArtifactChunk" WHERE "blobId" = $1`, [rows[0]?.id])).rows[0].n).toBe(0);
    await expect(store.readAll(orphan.uri)).rejects.toBeInstanceOf(ArtifactMissingError);
    expect(await store.readAll(named.uri)).toEqual(new Uint8Array([4]));
    expect(await store.readAll(recent.uri)).toEqual(new Uint8Array([1, 2, 3]));
  });

  dbTest("refuses keys that are not <run id>/<relative name>", async ({ pool }) => {
    const store = storeOn(pool);
    for (const key of ["run-1/../x", "run-1/./x", "run-1//x", "/abs/x", "only-a-name"]) {
      await expect(store.write(key, new Uint8Array([1]))).rejects.toThrow(/must be <run id>\/<relative name>/);
    }
  });
});
