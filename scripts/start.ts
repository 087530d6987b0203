// `npm start`: the database (embedded unless DATABASE_URL is set), migrated,
// then HINDCAST_WORKERS worker processes (default 1) sharing it, until Ctrl-C.
import { type ChildProcess, spawn } from "node:child_process";
import { openDatabase, prepareDatabase, redact } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";

runMain(async () => {
  const db = await openDatabase();
  const { applied } = await prepareDatabase(db.url);
  console.log(`Hindcast database ready (${db.source}): ${redact(db.url)}`);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  const count = Number(process.env.HINDCAST_WORKERS ?? 1);
  const workers: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    workers.push(spawn("npm", ["run", "--silent", "worker"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url } }));
  }
  console.log(`Started ${count} worker(s). Press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          w.once("exit", () => resolve());
          w.kill("SIGTERM");
        }),
    ),
  );
  await db.close();
});
