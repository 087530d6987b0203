import { artifactUrisWithPrefix, logger, moveArtifactUri } from "@hindcast/db";
import type pg from "pg";
import { ArtifactCorruptError } from "./errors";
import type { FolderBackend } from "./folder-backend";
import type { ArtifactStorage } from "./storage";

export interface MigrationOptions {
  /** List what would move, change nothing. */
  dryRun?: boolean;
  /** Leave the old files in place after their rows point at the copies. */
  keep?: boolean;
  /** Told each artifact as it is handled. */
  onArtifact?: (event: { uri: string; sizeBytes: number; outcome: "moved" | "would move" | "missing" | "outside" }) => void;
}

export interface MigrationResult {
  moved: number;
  bytes: number;
  /** file:// URIs whose file is gone; their rows are left as they are. */
  missing: number;
  /** file:// URIs outside the folder (HINDCAST_ARTIFACTS_DIR), left as they are. */
  outside: number;
}

/**
 * Moves every file:// artifact (Artifact and Checkpoint rows) into `target`:
 * copies it, reads the copy back through its hash check (and against the
 * Artifact row's hash), points the rows at the copy in one transaction, then
 * deletes the file. A second run finds nothing left to move.
 */
export async function migrateFileArtifacts(
  pool: pg.Pool,
  folder: FolderBackend,
  target: ArtifactStorage,
  options: MigrationOptions = {},
): Promise<MigrationResult> {
  const result: MigrationResult = { moved: 0, bytes: 0, missing: 0, outside: 0 };
  for (const { uri, sha256: recorded } of await artifactUrisWithPrefix(pool, "file:")) {
    if (!folder.holds(uri)) {
      result.outside++;
      options.onArtifact?.({ uri, sizeBytes: 0, outcome: "outside" });
      continue;
    }
    const found = await folder.stat(uri);
    if (!found) {
      result.missing++;
      options.onArtifact?.({ uri, sizeBytes: 0, outcome: "missing" });
      continue;
    }
    if (options.dryRun) {
      result.moved++;
      result.bytes += found.sizeBytes;
      options.onArtifact?.({ uri, sizeBytes: found.sizeBytes, outcome: "would move" });
      continue;
    }
    const copy = await target.write(folder.keyOf(uri), folder.read(uri));
    try {
      if (recorded && copy.sha256 !== recorded)
        throw new ArtifactCorruptError(uri, "its file no longer matches the SHA-256 recorded with it");
      await verify(target, copy.uri);
      if ((await moveArtifactUri(pool, uri, copy.uri)) === 0) throw new Error(`the rows of ${uri} changed while it was copied`);
    } catch (error) {
      await target.remove(copy.uri).catch((cleanup: unknown) => logger.warn({ err: cleanup, uri: copy.uri }, "copy not removed"));
      throw error;
    }
    if (!options.keep) await folder.remove(uri);
    result.moved++;
    result.bytes += copy.sizeBytes;
    options.onArtifact?.({ uri, sizeBytes: copy.sizeBytes, outcome: "moved" });
  }
  return result;
}

/** Reads a copy back through its store's hash check. */
async function verify(store: ArtifactStorage, uri: string): Promise<void> {
  for await (const _ of store.read(uri)) {
    // The check happens as the bytes stream by.
  }
}
