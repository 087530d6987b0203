import path from "node:path";

/**
 * Checks a store key, `<runId>/<name>`: canonical relative segments only, so
 * that one file has one key (and one row) and no key leaves its run's folder.
 */
export function assertArtifactKey(key: string): void {
  const segments = key.split(/[/\\]/);
  if (path.isAbsolute(key) || segments.length < 2 || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new Error(`artifact key "${key}" must be <run id>/<relative name>, without "..", "." or empty segments`);
  }
}
