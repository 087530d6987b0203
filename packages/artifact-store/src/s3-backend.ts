import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { type ArtifactData, chunksOf, sha256Hex } from "./bytes";
import { ArtifactCorruptError, ArtifactMissingError } from "./errors";
import { assertArtifactKey } from "./keys";
import type { ArtifactBackend, ArtifactStat, StoredArtifact } from "./storage";

export interface S3Settings {
  bucket: string;
  /** Prepended to every key: "" or ending in "/". */
  prefix: string;
  /** An S3-compatible server's address (MinIO, R2, ...); unset for AWS. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** Unset: the AWS SDK's own chain (profile, instance role, ...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const partBytes = 8 * 1024 * 1024;
/** User metadata key of the whole object's SHA-256 (x-amz-meta-sha256). */
const hashKey = "sha256";

const isNotFound = (error: unknown) => error instanceof NoSuchKey || error instanceof NotFound;

/** Artifacts as objects in an S3-compatible bucket: `s3://<bucket>/<prefix><runId>/<name>`, each with its SHA-256 in its metadata. */
export class S3Backend implements ArtifactBackend {
  readonly #settings: S3Settings;
  readonly #client: S3Client;

  constructor(settings: S3Settings) {
    this.#settings = settings;
    this.#client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      // The default CRC32 trailers (aws-chunked bodies) are not understood by every S3-compatible server; the SHA-256 is ours.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  owns(uri: string): boolean {
    return uri.startsWith("s3://");
  }

  /**
   * A whole array is hashed first and stored with its hash in one upload; a
   * stream is hashed as it uploads (in parts) and the hash is added after, by
   * copying the object onto itself, before its URI is handed out.
   */
  async write(key: string, data: ArtifactData): Promise<StoredArtifact> {
    assertArtifactKey(key);
    const location = { Bucket: this.#settings.bucket, Key: `${this.#settings.prefix}${key}` };
    const uri = `s3://${location.Bucket}/${location.Key}`;
    if (data instanceof Uint8Array) {
      const sha256 = sha256Hex(data);
      await this.#upload({ ...location, Body: data, Metadata: { [hashKey]: sha256 } });
      return { uri, sizeBytes: data.byteLength, sha256 };
    }
    const hash = createHash("sha256");
    let sizeBytes = 0;
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunksOf(data, partBytes)) {
        hash.update(chunk);
        sizeBytes += chunk.byteLength;
        yield chunk;
      }
    }
    await this.#upload({ ...location, Body: Readable.from(hashed(), { objectMode: false }) });
    const sha256 = hash.digest("hex");
    await this.#client.send(
      new CopyObjectCommand({
        ...location,
        CopySource: `${location.Bucket}/${location.Key.split("/").map(encodeURIComponent).join("/")}`,
        Metadata: { [hashKey]: sha256 },
        MetadataDirective: "REPLACE",
      }),
    );
    return { uri, sizeBytes, sha256 };
  }

  async *read(uri: string): AsyncGenerator<Uint8Array> {
    const location = this.#locationOf(uri);
    let answer: GetObjectCommandOutput;
    try {
      answer = await this.#client.send(new GetObjectCommand(location));
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactMissingError(uri, { cause: error });
      throw error;
    }
    const recorded = answer.Metadata?.[hashKey];
    const body = answer.Body as Readable;
    if (!recorded) {
      body.destroy();
      throw new ArtifactCorruptError(uri, "the object carries no SHA-256 (it was not written by Hindcast, or its upload did not finish)");
    }
    const hash = createHash("sha256");
    try {
      for await (const chunk of body) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    } finally {
      body.destroy();
    }
    if (hash.digest("hex") !== recorded)
      throw new ArtifactCorruptError(uri, "its bytes do not match the SHA-256 recorded when it was written");
  }

  async stat(uri: string): Promise<ArtifactStat | undefined> {
    try {
      const head = await this.#client.send(new HeadObjectCommand(this.#locationOf(uri)));
      return { sizeBytes: head.ContentLength ?? 0, sha256: head.Metadata?.[hashKey] };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async remove(uri: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand(this.#locationOf(uri)));
  }

  async #upload(params: ConstructorParameters<typeof Upload>[0]["params"]): Promise<void> {
    await new Upload({ client: this.#client, params, partSize: partBytes, queueSize: 2 }).done();
  }

  #locationOf(uri: string): { Bucket: string; Key: string } {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) throw new Error(`artifact ${uri} is not an s3://<bucket>/<key> URI`);
    return { Bucket: match[1] as string, Key: match[2] as string };
  }
}
