import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { S3Settings } from "../src/s3-backend";

interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rver;

// s3rver ships no types (and is CommonJS).
const S3rverServer = createRequire(import.meta.url)("s3rver") as S3rverClass;

export interface TestS3 {
  /** Settings of a store on the server's bucket, with s3rver's fixed credentials. */
  settings: S3Settings;
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on a free port, its objects under `directory`, with one bucket. */
export async function startTestS3(directory: string, bucket = "hindcast-artifacts"): Promise<TestS3> {
  const server = new S3rverServer({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    settings: {
      bucket,
      prefix: "artifacts/",
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    },
    close: () => server.close(),
  };
}
