import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { UserFacingError } from "@hindcast/contracts";
import { type ArtifactData, chunksOf } from "./bytes";
import { ArtifactMissingError } from "./errors";
import { assertArtifactKey } from "./keys";
import type { ArtifactBackend, ArtifactStat, StoredArtifact } from "./storage";

const writeChunkBytes = 1024 * 1024;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/** Artifacts as files under one folder on this host: `file://<root>/<runId>/<name>`. Records no hash, so reads are not checked. */
export class FolderBackend implements ArtifactBackend {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  owns(uri: string): boolean {
    return uri.startsWith("file:");
  }

  /** Replaces the file atomically: readers see the old or the new bytes, never a part. */
  async write(key: string, data: ArtifactData): Promise<StoredArtifact> {
    assertArtifactKey(key);
    const file = path.join(this.root, key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomUUID()}.tmp`;
    const hash = createHash("sha256");
    let sizeBytes = 0;
    try {
      const handle = await open(temp, "w");
      try {
        for await (const chunk of chunksOf(data, writeChunkBytes)) {
          hash.update(chunk);
          sizeBytes += chunk.byteLength;
          await handle.write(chunk);
        }
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
    return { uri: pathToFileURL(file).href, sizeBytes, sha256: hash.digest("hex") };
  }

  async *read(uri: string): AsyncGenerator<Uint8Array> {
    const stream = createReadStream(this.fileOf(uri), { highWaterMark: writeChunkBytes });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      if (isMissing(error)) throw new ArtifactMissingError(uri, { cause: error });
      throw error;
    } finally {
      stream.destroy();
    }
  }

  async stat(uri: string): Promise<ArtifactStat | undefined> {
    try {
      const found = await stat(this.fileOf(uri));
      return found.isFile() ? { sizeBytes: found.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async remove(uri: string): Promise<void> {
    await rm(this.fileOf(uri), { force: true });
  }

  /** Whether a file:// URI names a file under the root. */
  holds(uri: string): boolean {
    return this.owns(uri) && fileURLToPath(uri).startsWith(`${this.root}${path.sep}`);
  }

  /** The file of a URI under the root; any other is refused, so a row cannot make this host read or delete other files. */
  fileOf(uri: string): string {
    if (!this.owns(uri)) throw new Error(`artifact ${uri} is not a file:// URI`);
    const file = fileURLToPath(uri);
    if (!this.holds(uri)) {
      throw new UserFacingError(
        `artifact ${uri} is outside this host's artifact folder ${this.root}`,
        "set HINDCAST_ARTIFACTS_DIR to the folder that holds it, or move it there",
      );
    }
    return file;
  }

  /** The store key of a file under the root (`<runId>/<name>`). */
  keyOf(uri: string): string {
    return path.relative(this.root, this.fileOf(uri)).split(path.sep).join("/");
  }
}
