import { parseArgs } from "node:util";
import { UserFacingError } from "@hindcast/contracts";
import { createPool, isUserFacingError, openDatabase, prepareDatabase } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";
import { artifactStoreConfig } from "../config";
import { FolderBackend } from "../folder-backend";
import { migrateFileArtifacts } from "../migrate-file-artifacts";
import { openArtifactStore } from "../open-store";

const usage = "npm run artifacts:migrate -- [--dry-run] [--keep]";

function options(): { dryRun: boolean; keep: boolean } {
  try {
    const { values } = parseArgs({ options: { "dry-run": { type: "boolean" }, keep: { type: "boolean" } } });
    return { dryRun: values["dry-run"] ?? false, keep: values.keep ?? false };
  } catch (error) {
    throw new UserFacingError((error as Error).message, `usage: ${usage}`);
  }
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

runMain(async () => {
  const { dryRun, keep } = options();
  const config = artifactStoreConfig();
  if (config.kind === "file") {
    throw new UserFacingError("HINDCAST_ARTIFACT_STORE is file: file:// artifacts are already where it writes", "set it to postgres or s3");
  }
  const db = await openDatabase();
  // The store's tables come with this version's migrations: an upgrade then a move is one command.
  await prepareDatabase(db.url);
  const pool = createPool({ connectionString: db.url });
  try {
    const result = await migrateFileArtifacts(pool, new FolderBackend(config.folder), openArtifactStore(pool, config), {
      dryRun,
      keep,
      onArtifact: ({ uri, sizeBytes, outcome }) => console.log(`${outcome.padEnd(10)} ${megabytes(sizeBytes).padStart(8)} MB  ${uri}`),
    });
    const verb = dryRun ? "Would move" : "Moved";
    const missing = result.missing ? `; ${result.missing} file(s) already gone, their rows left as they are` : "";
    const outside = result.outside
      ? `; ${result.outside} file(s) outside ${config.folder} left (set HINDCAST_ARTIFACTS_DIR to their folder and run again)`
      : "";
    console.log(`${verb} ${result.moved} artifact(s), ${megabytes(result.bytes)} MB, into the ${config.kind} store${missing}${outside}.`);
  } catch (error) {
    if (isUserFacingError(error)) throw error;
    throw new UserFacingError(
      `Artifact migration stopped: ${(error as Error).message}`,
      "fix the cause and run it again; what moved stays moved",
      {
        cause: error,
      },
    );
  } finally {
    await pool.end();
    await db.close();
  }
});
