import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The local file of a `file://` artifact, or undefined for any other store. */
export function artifactPath(uri: string): string | undefined {
  return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
}

/** Reads a JSON artifact (results.json) from the file store. */
export async function readJsonArtifact(uri: string): Promise<unknown> {
  const file = artifactPath(uri);
  if (!file) throw new Error(`artifact ${uri} is not in a file store this server can read`);
  return JSON.parse(await readFile(file, "utf8"));
}
