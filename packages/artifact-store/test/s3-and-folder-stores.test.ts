import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isUserFacingError } from "@hindcast/contracts";
import { dbTest } from "@hindcast/test-support";
import { describe, expect } from "vitest";
import { ArtifactCorruptError, artifactStoreConfig, openArtifactStore, S3Backend } from "../src/index";
import { startTestS3 } from "./s3-server";

async function* inPieces(bytes: Uint8Array, pieceBytes: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += pieceBytes) yield bytes.subarray(offset, offset + pieceBytes);
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe("the S3 artifact store", () => {
  dbTest(
    "writes, reads, stats and removes objects on a real S3-compatible server, and refuses bytes changed behind its back",
    async ({ tempDir }) => {
      const s3 = await startTestS3(path.join(tempDir, "s3"));
      try {
        const store = new S3Backend(s3.settings);
        const small = randomBytes(1000);
        const written = await store.write("run-1/results.json", small);
        expect(written.uri).toBe("s3://hindcast-artifacts/artifacts/run-1/results.json");
        expect(await store.stat(written.uri)).toEqual({ sizeBytes: 1000, sha256: written.sha256 });

        // Streamed in several multipart parts.
        const large = randomBytes(20 * 1024 * 1024 + 5);
        const streamed = await store.write("run-1/model/weights.bin", inPieces(large, 3 * 1024 * 1024 + 1));
        expect(streamed.sizeBytes).toBe(large.byteLength);
        const read: Uint8Array[] = [];
        for await (const chunk of store.read(streamed.uri)) read.push(chunk);
        expect(Buffer.concat(read).equals(large)).toBe(true);

        // Another object's bytes put under this key, its metadata kept: the SHA-256 check refuses them.
        const [objectFile] = (await filesUnder(path.join(tempDir, "s3"))).filter((file) => file.endsWith("results.json._S3rver_object"));
        await writeFile(objectFile as string, randomBytes(1000));
        const refused = await (async () => {
          for await (const _ of store.read(written.uri)) {
            // reading through
          }
        })().catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(ArtifactCorruptError);
        expect((refused as Error).message).toContain(written.uri);

        await store.remove(streamed.uri);
        expect(await store.stat(streamed.uri)).toBeUndefined();
      } finally {
        await s3.close();
      }
    },
  );

  dbTest("says which settings a host lacks to read an s3:// artifact", async ({ pool, tempDir }) => {
    const store = openArtifactStore(pool, artifactStoreConfig({ HINDCAST_ARTIFACTS_DIR: tempDir }));
    const error = await store.readAll("s3://bucket/run-1/model.bin").catch((e: unknown) => e);
    expect(isUserFacingError(error) && error.message).toBe(
      "artifact s3://bucket/run-1/model.bin needs HINDCAST_S3_* settings on this host",
    );
  });
});

describe("the folder artifact store", () => {
  dbTest("writes under its root and reads only there", async ({ pool, tempDir }) => {
    const root = path.join(tempDir, "artifacts");
    const store = openArtifactStore(pool, artifactStoreConfig({ HINDCAST_ARTIFACT_STORE: "file", HINDCAST_ARTIFACTS_DIR: root }));
    const written = await store.write("run-1/results.json", inPieces(new TextEncoder().encode('{"windows":[]}'), 4));
    expect(written.uri).toBe(pathToFileURL(path.join(root, "run-1", "results.json")).href);
    expect(JSON.parse(await readFile(path.join(root, "run-1", "results.json"), "utf8"))).toEqual({ windows: [] });
    expect(await store.stat(written.uri)).toEqual({ sizeBytes: 14 });
    expect(new TextDecoder().decode(await store.readAll(written.uri))).toBe('{"windows":[]}');

    await mkdir(path.join(tempDir, "elsewhere"));
    await writeFile(path.join(tempDir, "elsewhere", "secret"), "not an artifact");
    for (const outside of [
      pathToFileURL(path.join(tempDir, "elsewhere", "secret")).href,
      `${pathToFileURL(root).href}/../elsewhere/secret`,
      pathToFileURL(`${root}-sibling/secret`).href,
    ]) {
      await expect(store.readAll(outside)).rejects.toThrow(/is outside this host's artifact folder/);
      await expect(store.remove(outside)).rejects.toThrow(/is outside this host's artifact folder/);
    }
    expect(await readFile(path.join(tempDir, "elsewhere", "secret"), "utf8")).toBe("not an artifact");
    await store.remove(written.uri);
    expect(await store.stat(written.uri)).toBeUndefined();
  });

  dbTest("names the variable of a bad setting", () => {
    const message = (env: NodeJS.ProcessEnv) => {
      try {
        artifactStoreConfig(env);
        return "accepted";
      } catch (error) {
        return isUserFacingError(error) ? error.toLine() : String(error);
      }
    };
    expect(message({ HINDCAST_ARTIFACT_STORE: "disk" })).toMatch(
      /^Invalid artifact store settings: HINDCAST_ARTIFACT_STORE: .*"postgres"\|"s3"\|"file"/,
    );
    expect(message({ HINDCAST_ARTIFACT_STORE: "s3" })).toBe(
      "HINDCAST_ARTIFACT_STORE is s3 but HINDCAST_S3_BUCKET is unset. Fix: set HINDCAST_S3_BUCKET to the bucket to write to",
    );
    expect(message({ HINDCAST_S3_BUCKET: "b", AWS_ENDPOINT_URL_S3: "localhost:9000" })).toMatch(
      /HINDCAST_S3_BUCKET: must be an S3 bucket name.*; AWS_ENDPOINT_URL_S3: must be an http\(s\):\/\/ address/,
    );
    expect(
      artifactStoreConfig({ HINDCAST_S3_BUCKET: "bkt", HINDCAST_S3_PREFIX: "/a/b/", HINDCAST_S3_ENDPOINT: "http://s3.local:9000" }).s3,
    ).toEqual({
      bucket: "bkt",
      prefix: "a/b/",
      endpoint: "http://s3.local:9000",
      region: "us-east-1",
      forcePathStyle: true,
      credentials: undefined,
    });
  });
});
