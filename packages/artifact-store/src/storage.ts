import type { ArtifactData } from "./bytes";

export interface StoredArtifact {
  uri: string;
  sizeBytes: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
}

export interface ArtifactStat {
  sizeBytes: number;
  /** The hash recorded with the bytes, when the store records one. */
  sha256?: string;
}

/** One kind of place that holds artifact bytes, owning the URIs of one scheme. */
export interface ArtifactBackend {
  owns(uri: string): boolean;
  /** Stores `data` under `key` (`<runId>/<name>`); the URI is visible to readers only once all bytes are in. */
  write(key: string, data: ArtifactData): Promise<StoredArtifact>;
  /** The bytes, checked against the recorded hash where the store records one; throws ArtifactMissingError or ArtifactCorruptError. */
  read(uri: string): AsyncIterable<Uint8Array>;
  stat(uri: string): Promise<ArtifactStat | undefined>;
  /** Deletes the bytes; a missing artifact is no error. */
  remove(uri: string): Promise<void>;
}

/** The store a host uses: writes go to the configured backend, reads and removals to whichever owns the URI. */
export interface ArtifactStorage extends Omit<ArtifactBackend, "owns"> {
  /** The whole artifact in memory, checked as `read` checks it (for small files and the engine's port). */
  readAll(uri: string): Promise<Uint8Array>;
}
