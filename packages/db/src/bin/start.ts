import { redact } from "../connection-url.js";
import { openDatabase } from "../database.js";
import { migrate } from "../migrator.js";
import { runMain } from "./run-main.js";

// `npm start`: brings the database up (embedded unless DATABASE_URL is set),
// migrates it and keeps it running until Ctrl-C. The worker and web apps
// join this entry point as they land.
runMain(async () => {
  const db = await openDatabase();
  const { applied } = await migrate(db.url);
  console.log(`Hindcast database ready (${db.source}): ${redact(db.url)}`);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  if (db.source !== "embedded (started here)") return db.close();
  console.log("Other Hindcast processes started now share this database. Press Ctrl-C to stop it.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await db.close();
});
