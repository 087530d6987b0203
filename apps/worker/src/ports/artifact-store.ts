import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deleteArtifact, recordArtifact } from "@hindcast/db";
import type { ArtifactStore } from "@hindcast/engine";
import type pg from "pg";
import { retryTransient } from "./transient";

/**
 * The engine's ArtifactStore on the local file system: `<root>/<runId>/<name>`,
 * each file recorded as an "Artifact" row (unique per run and name).
 */
export class FileArtifactStore implements ArtifactStore {
  readonly #pool: pg.Pool;
  readonly #runId: string;
  readonly #root: string;
  readonly #runDir: string;

  constructor(pool: pg.Pool, runId: string, root: string) {
    this.#pool = pool;
    this.#runId = runId;
    this.#root = path.resolve(root);
    this.#runDir = path.join(this.#root, runId);
  }

  /** Replaces the file atomically (readers see the old or the new bytes, never a part) and upserts its row. */
  async put(
    name: string,
    data: Uint8Array | string,
    meta: { kind: string; contentType: string },
  ): Promise<{ uri: string; sizeBytes: number }> {
    const file = this.#fileFor(name);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    await writeAtomically(file, bytes);
    const uri = pathToFileURL(file).href;
    const sizeBytes = bytes.byteLength;
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await retryTransient(() =>
      recordArtifact(this.#pool, { runId: this.#runId, name, kind: meta.kind, uri, contentType: meta.contentType, sizeBytes, sha256 }),
    );
    return { uri, sizeBytes };
  }

  /** Reads any artifact under the root, other runs' included (a resumed or child run reads its parent's). */
  async get(uri: string): Promise<Uint8Array> {
    const file = this.#pathOf(uri, this.#root);
    try {
      const buffer = await readFile(file);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`artifact ${uri} does not exist`, { cause: error });
      throw error;
    }
  }

  /** Deletes one of this run's artifacts: the row first, so no row ever names a missing file. */
  async remove(uri: string): Promise<void> {
    const file = this.#pathOf(uri, this.#runDir);
    await retryTransient(() => deleteArtifact(this.#pool, this.#runId, uri));
    await rm(file, { force: true });
  }

  #fileFor(name: string): string {
    // Canonical relative names only, so that one file has one name (and one row).
    const segments = name.split(/[/\\]/);
    if (path.isAbsolute(name) || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
      throw new Error(`artifact name "${name}" must be a relative path inside the run's folder, without "..", "." or empty segments`);
    }
    return path.join(this.#runDir, name);
  }

  #pathOf(uri: string, allowedDir: string): string {
    if (!uri.startsWith("file:")) throw new Error(`artifact ${uri} is not a file:// URI`);
    const file = fileURLToPath(uri);
    if (!file.startsWith(`${allowedDir}${path.sep}`)) throw new Error(`artifact ${uri} is outside ${allowedDir}`);
    return file;
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(bytes);
      // Durable before it becomes visible: a crash must not leave a renamed but empty checkpoint.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
