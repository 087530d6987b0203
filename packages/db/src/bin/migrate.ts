import { redact } from "../connection-url";
import { openDatabase } from "../database";
import { prepareDatabase } from "../queue";
import { runMain } from "./run-main";

runMain(async () => {
  const db = await openDatabase();
  try {
    const { applied, alreadyApplied } = await prepareDatabase(db.url);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${redact(db.url)} (${db.source}): ${applied.join(", ")}`
        : `Database ${redact(db.url)} (${db.source}) is up to date (${alreadyApplied.length} migration(s) applied).`,
    );
  } finally {
    await db.close();
  }
});
