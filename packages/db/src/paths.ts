import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (this file is packages/db/src/paths.ts). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const migrationsDir = path.join(projectRoot, "prisma", "migrations");

/** Local state (embedded database, artifacts); `HINDCAST_HOME` overrides it. */
export function hindcastHome(): string {
  return process.env.HINDCAST_HOME ?? path.join(projectRoot, ".hindcast");
}
