// Artifact store throughput (`cd bench && npx tsx artifact-stores.ts`): write
// and read MB/s of a 32 MB artifact, median of a few rounds, for the postgres
// store (this database), the folder store (a temp dir) and the S3 store (a
// local s3rver), all streamed through the same ArtifactStorage interface.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type ArtifactStorage, type ArtifactStoreKind, artifactStoreConfig, openArtifactStore } from "@hindcast/artifact-store";
import { startTestS3 } from "@hindcast/artifact-store/test-s3";
import { createPool } from "@hindcast/db";
import type pg from "pg";
import { openBenchDatabase } from "./bench-database";
import { median } from "./stats";

const artifactBytes = 32 * 1024 * 1024;
const rounds = Number(process.env.BENCH_ARTIFACT_ROUNDS ?? 3);
const pieceBytes = 256 * 1024;

export interface StoreThroughput {
  store: ArtifactStoreKind;
  writeMBps: number;
  readMBps: number;
}

async function* pieces(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += pieceBytes) yield bytes.subarray(offset, offset + pieceBytes);
}

const megabytesPerSecond = (ms: number) => artifactBytes / 1024 / 1024 / (ms / 1000);

async function measure(kind: ArtifactStoreKind, store: ArtifactStorage, data: Uint8Array): Promise<StoreThroughput> {
  const writes: number[] = [];
  const reads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    const { uri } = await store.write(`bench/round-${round}.bin`, pieces(data));
    writes.push(performance.now() - started);
    started = performance.now();
    let read = 0;
    for await (const chunk of store.read(uri)) read += chunk.byteLength;
    reads.push(performance.now() - started);
    if (read !== artifactBytes) throw new Error(`${kind} store read ${read} bytes of ${artifactBytes}`);
    await store.remove(uri);
  }
  return { store: kind, writeMBps: megabytesPerSecond(median(writes)), readMBps: megabytesPerSecond(median(reads)) };
}

/** Write and read MB/s (medians) of each store kind on `pool`'s database, a temp folder and a local S3-compatible server. */
export async function measureArtifactStores(pool: pg.Pool): Promise<StoreThroughput[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-bench-artifacts-"));
  const s3 = await startTestS3(path.join(dir, "s3"));
  try {
    const data = randomBytes(artifactBytes);
    const env = { HINDCAST_ARTIFACTS_DIR: path.join(dir, "files") };
    const results: StoreThroughput[] = [];
    for (const kind of ["postgres", "file"] as const) {
      results.push(await measure(kind, openArtifactStore(pool, artifactStoreConfig({ ...env, HINDCAST_ARTIFACT_STORE: kind })), data));
    }
    const s3Store = openArtifactStore(pool, { ...artifactStoreConfig(env), kind: "s3", s3: s3.settings });
    results.push(await measure("s3", s3Store, data));
    return results;
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  const pool = createPool({ connectionString: db.url });
  try {
    console.log(`artifact stores, ${artifactBytes / 1024 / 1024} MB artifact, median of ${rounds} rounds`);
    console.log("store     write MB/s  read MB/s");
    for (const { store, writeMBps, readMBps } of await measureArtifactStores(pool)) {
      console.log(`${store.padEnd(9)} ${writeMBps.toFixed(0).padStart(10)} ${readMBps.toFixed(0).padStart(10)}`);
    }
  } finally {
    await pool.end();
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
