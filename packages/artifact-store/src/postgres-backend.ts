import { createHash } from "node:crypto";
import {
  completeArtifactBlob,
  createArtifactBlob,
  deleteArtifactBlob,
  findArtifactBlob,
  logger,
  readArtifactChunk,
  writeArtifactChunk,
} from "@hindcast/db";
import type pg from "pg";
import { z } from "zod";
import { type ArtifactData, chunksOf, sha256Hex } from "./bytes";
import { ArtifactCorruptError, ArtifactMissingError } from "./errors";
import { assertArtifactKey } from "./keys";
import type { ArtifactBackend, ArtifactStat, StoredArtifact } from "./storage";

export const postgresScheme = "pg-artifact:";
const blobId = z.uuid();
/** Big enough that a round trip per chunk costs little, small enough that a chunk in flight costs little memory. */
export const chunkBytes = 1024 * 1024;

/** Artifacts as chunked rows in the Hindcast database itself: `pg-artifact:<blob id>`. */
export class PostgresBackend implements ArtifactBackend {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  owns(uri: string): boolean {
    return uri.startsWith(postgresScheme);
  }

  async write(key: string, data: ArtifactData): Promise<StoredArtifact> {
    assertArtifactKey(key);
    const id = await createArtifactBlob(this.#pool);
    try {
      const whole = createHash("sha256");
      let sizeBytes = 0;
      let chunkCount = 0;
      for await (const chunk of chunksOf(data, chunkBytes)) {
        whole.update(chunk);
        sizeBytes += chunk.byteLength;
        await writeArtifactChunk(this.#pool, id, chunkCount++, sha256Hex(chunk), chunk);
      }
      const sha256 = whole.digest("hex");
      if (!(await completeArtifactBlob(this.#pool, id, { sizeBytes, sha256, chunkCount }))) {
        throw new Error(`artifact ${key} lost chunks while it was written (blob ${id} was swept or deleted)`);
      }
      return { uri: `${postgresScheme}${id}`, sizeBytes, sha256 };
    } catch (error) {
      // The sweep removes it later when the database is what failed.
      await deleteArtifactBlob(this.#pool, id).catch((cleanup: unknown) =>
        logger.warn({ err: cleanup, blobId: id }, "incomplete artifact blob left"),
      );
      throw error;
    }
  }

  async *read(uri: string): AsyncGenerator<Uint8Array> {
    const id = this.#idOf(uri);
    const blob = await findArtifactBlob(this.#pool, id);
    if (!blob) throw new ArtifactMissingError(uri);
    const whole = createHash("sha256");
    let sizeBytes = 0;
    for (let seq = 0; seq < blob.chunkCount; seq++) {
      const chunk = await readArtifactChunk(this.#pool, id, seq);
      if (!chunk) {
        if (!(await findArtifactBlob(this.#pool, id))) throw new ArtifactMissingError(uri);
        throw new ArtifactCorruptError(uri, `chunk ${seq} of ${blob.chunkCount} is missing`);
      }
      if (sha256Hex(chunk.data) !== chunk.sha256)
        throw new ArtifactCorruptError(uri, `chunk ${seq} of ${blob.chunkCount} fails its SHA-256 check`);
      whole.update(chunk.data);
      sizeBytes += chunk.data.byteLength;
      yield chunk.data;
    }
    if (sizeBytes !== blob.sizeBytes || whole.digest("hex") !== blob.sha256) {
      throw new ArtifactCorruptError(uri, `its ${sizeBytes} bytes do not match the recorded size (${blob.sizeBytes}) and SHA-256`);
    }
  }

  async stat(uri: string): Promise<ArtifactStat | undefined> {
    const blob = await findArtifactBlob(this.#pool, this.#idOf(uri));
    return blob && { sizeBytes: blob.sizeBytes, sha256: blob.sha256 ?? undefined };
  }

  async remove(uri: string): Promise<void> {
    await deleteArtifactBlob(this.#pool, this.#idOf(uri));
  }

  #idOf(uri: string): string {
    const id = blobId.safeParse(uri.slice(postgresScheme.length));
    if (!this.owns(uri) || !id.success) throw new Error(`artifact ${uri} is not a ${postgresScheme}<uuid> URI`);
    return id.data;
  }
}
