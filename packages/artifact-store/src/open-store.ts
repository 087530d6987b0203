import { UserFacingError } from "@hindcast/contracts";
import type pg from "pg";
import { type ArtifactData, collect } from "./bytes";
import type { ArtifactStoreConfig } from "./config";
import { FolderBackend } from "./folder-backend";
import { PostgresBackend } from "./postgres-backend";
import { S3Backend } from "./s3-backend";
import type { ArtifactBackend, ArtifactStat, ArtifactStorage, StoredArtifact } from "./storage";

/** Stands in for S3 on a host without its settings: s3:// artifacts are named, not read. */
const unconfiguredS3: ArtifactBackend = {
  owns: (uri) => uri.startsWith("s3://"),
  write: () => Promise.reject(unreachable("s3://")),
  read: (uri) => ({
    [Symbol.asyncIterator]: () => {
      throw unreachable(uri);
    },
  }),
  stat: (uri) => Promise.reject(unreachable(uri)),
  remove: (uri) => Promise.reject(unreachable(uri)),
};

function unreachable(uri: string): UserFacingError {
  return new UserFacingError(
    `artifact ${uri} needs HINDCAST_S3_* settings on this host`,
    "set HINDCAST_S3_BUCKET (and HINDCAST_S3_ENDPOINT, HINDCAST_S3_REGION and the AWS credentials where needed) as the writing host has them",
  );
}

/**
 * The artifact store of this host: writes go to the configured store; reads,
 * stats and removals go to the store a URI's scheme names (pg-artifact: in
 * this database, file: under the configured folder, s3: with this host's S3
 * settings), so artifacts written under an earlier setting stay readable.
 */
export function openArtifactStore(pool: pg.Pool, config: ArtifactStoreConfig): ArtifactStorage {
  const backends = {
    postgres: new PostgresBackend(pool),
    file: new FolderBackend(config.folder),
    s3: config.s3 ? new S3Backend(config.s3) : unconfiguredS3,
  };
  const writer = backends[config.kind];
  const ownerOf = (uri: string): ArtifactBackend => {
    const owner = Object.values(backends).find((backend) => backend.owns(uri));
    if (!owner) throw new Error(`artifact ${uri} has a scheme no artifact store knows (pg-artifact:, file:, s3:)`);
    return owner;
  };
  return {
    write: (key: string, data: ArtifactData): Promise<StoredArtifact> => writer.write(key, data),
    read: (uri: string): AsyncIterable<Uint8Array> => ownerOf(uri).read(uri),
    readAll: (uri: string): Promise<Uint8Array> => collect(ownerOf(uri).read(uri)),
    stat: (uri: string): Promise<ArtifactStat | undefined> => ownerOf(uri).stat(uri),
    remove: (uri: string): Promise<void> => ownerOf(uri).remove(uri),
  };
}
