import path from "node:path";
import { issueLine, UserFacingError } from "@hindcast/contracts";
import { hindcastHome } from "@hindcast/db";
import { z } from "zod";
import type { S3Settings } from "./s3-backend";

export const artifactStoreKinds = ["postgres", "s3", "file"] as const;
export type ArtifactStoreKind = (typeof artifactStoreKinds)[number];

export interface ArtifactStoreConfig {
  /** Where new artifacts are written. */
  kind: ArtifactStoreKind;
  /** The folder of file:// artifacts: written there with kind "file", read from there always. */
  folder: string;
  /** Present when this host has S3 settings (HINDCAST_S3_BUCKET): needed to write to S3 and to read s3:// artifacts. */
  s3?: S3Settings;
}

const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** Each setting by the variable it is read from; the first variable set wins where there are several. */
const variables = {
  kind: ["HINDCAST_ARTIFACT_STORE"],
  folder: ["HINDCAST_ARTIFACTS_DIR"],
  bucket: ["HINDCAST_S3_BUCKET"],
  prefix: ["HINDCAST_S3_PREFIX"],
  endpoint: ["HINDCAST_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3"],
  region: ["HINDCAST_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"],
  forcePathStyle: ["HINDCAST_S3_FORCE_PATH_STYLE"],
  accessKeyId: ["AWS_ACCESS_KEY_ID"],
  secretAccessKey: ["AWS_SECRET_ACCESS_KEY"],
  sessionToken: ["AWS_SESSION_TOKEN"],
} as const;
type Setting = keyof typeof variables;

const settingsSchema = z.strictObject({
  kind: z.enum(artifactStoreKinds).default("postgres"),
  folder: z.string().default(() => path.join(hindcastHome(), "artifacts")),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)")
    .optional(),
  prefix: z
    .string()
    .transform((prefix) => prefix.replace(/^\/+|\/+$/g, ""))
    .transform((prefix) => (prefix ? `${prefix}/` : ""))
    .default(""),
  endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s):// address" }).optional(),
  region: z.string().default("us-east-1"),
  forcePathStyle: flag.optional(),
  accessKeyId: z.string().optional(),
  secretAccessKey: z.string().optional(),
  sessionToken: z.string().optional(),
});

/**
 * The artifact store settings of this host from its environment:
 * HINDCAST_ARTIFACT_STORE (postgres, the default; s3; file),
 * HINDCAST_ARTIFACTS_DIR, HINDCAST_S3_BUCKET / _PREFIX / _ENDPOINT (or
 * AWS_ENDPOINT_URL_S3) / _REGION (or AWS_REGION) / _FORCE_PATH_STYLE, and the
 * AWS credential variables. Every bad value is reported at once, by name.
 */
export function artifactStoreConfig(env: NodeJS.ProcessEnv = process.env): ArtifactStoreConfig {
  const raw: Partial<Record<Setting, string>> = {};
  const source: Partial<Record<Setting, string>> = {};
  for (const [setting, names] of Object.entries(variables) as [Setting, readonly string[]][]) {
    const name = names.find((candidate) => env[candidate]);
    if (name) {
      raw[setting] = env[name];
      source[setting] = name;
    }
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const setting = String(issue.path[0]) as Setting;
      return issueLine({ path: source[setting] ?? variables[setting][0], message: issue.message });
    });
    throw new UserFacingError(`Invalid artifact store settings: ${problems.join("; ")}`, "fix the variables named above");
  }
  const { kind, folder, bucket, prefix, endpoint, region, forcePathStyle, accessKeyId, secretAccessKey, sessionToken } = parsed.data;
  if (kind === "s3" && !bucket) {
    throw new UserFacingError(
      "HINDCAST_ARTIFACT_STORE is s3 but HINDCAST_S3_BUCKET is unset",
      "set HINDCAST_S3_BUCKET to the bucket to write to",
    );
  }
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new UserFacingError(
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together",
      "set both, or neither to use the AWS SDK's profile or instance role",
    );
  }
  const credentials =
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  return {
    kind,
    folder: path.resolve(folder),
    ...(bucket && {
      // S3-compatible servers behind an endpoint rarely serve virtual-host buckets.
      s3: { bucket, prefix, endpoint, region, forcePathStyle: forcePathStyle ?? Boolean(endpoint), credentials },
    }),
  };
}
