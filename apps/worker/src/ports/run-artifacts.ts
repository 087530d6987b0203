import type { ArtifactStorage } from "@hindcast/artifact-store";
import { deleteArtifact, logger, recordArtifact } from "@hindcast/db";
import type { ArtifactStore } from "@hindcast/engine";
import type pg from "pg";
import { retryTransient } from "./transient";

/**
 * The engine's ArtifactStore for one run, over the host's artifact store
 * (Postgres, a folder or S3, as configured): each file stored under
 * `<runId>/<name>` and recorded as an "Artifact" row (unique per run and name).
 */
export class RunArtifacts implements ArtifactStore {
  readonly #pool: pg.Pool;
  readonly #runId: string;
  readonly #store: ArtifactStorage;

  constructor(pool: pg.Pool, runId: string, store: ArtifactStorage) {
    this.#pool = pool;
    this.#runId = runId;
    this.#store = store;
  }

  /**
   * Stores the bytes, then points the row at them; the bytes a replaced row named are deleted after, so the row never names missing bytes.
   * The whole bytes are at hand, so a write the database broke off (a restart, a failover) is simply written again.
   */
  async put(
    name: string,
    data: Uint8Array | string,
    meta: { kind: string; contentType: string },
  ): Promise<{ uri: string; sizeBytes: number }> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const { uri, sizeBytes, sha256 } = await retryTransient(() => this.#store.write(`${this.#runId}/${name}`, bytes));
    const replaced = await retryTransient(() =>
      recordArtifact(this.#pool, { runId: this.#runId, name, kind: meta.kind, uri, contentType: meta.contentType, sizeBytes, sha256 }),
    );
    // A folder or S3 store rewrites the same key in place: same URI, nothing to delete.
    if (replaced && replaced !== uri) {
      await this.#store
        .remove(replaced)
        .catch((error: unknown) => logger.warn({ err: error, runId: this.#runId, name }, "replaced artifact's bytes not deleted"));
    }
    return { uri, sizeBytes };
  }

  /** Reads any artifact this host can reach, other runs' included (a resumed or child run reads its parent's), checked against its hash. */
  get(uri: string): Promise<Uint8Array> {
    return retryTransient(() => this.#store.readAll(uri));
  }

  /**
   * Deletes one of this run's artifacts: the row first, so no row ever names
   * missing bytes; bytes no row of this run named are left alone (another run's).
   */
  async remove(uri: string): Promise<void> {
    if (await retryTransient(() => deleteArtifact(this.#pool, this.#runId, uri))) await retryTransient(() => this.#store.remove(uri));
  }
}
