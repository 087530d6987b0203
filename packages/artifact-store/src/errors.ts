/** Stored bytes that do not match the hash recorded when they were written. */
export class ArtifactCorruptError extends Error {
  readonly uri: string;

  constructor(uri: string, detail: string) {
    super(`artifact ${uri} is corrupt: ${detail}`);
    this.name = "ArtifactCorruptError";
    this.uri = uri;
  }
}

/** An artifact whose bytes are not in its store (deleted, or never completed). */
export class ArtifactMissingError extends Error {
  readonly uri: string;

  constructor(uri: string, options?: { cause?: unknown }) {
    super(`artifact ${uri} does not exist`, options);
    this.name = "ArtifactMissingError";
    this.uri = uri;
  }
}
