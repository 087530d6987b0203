import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { scratchDatabase } from "@hindcast/test-support/database";
import { apiAs } from "./api";
import { accounts, e2ePort } from "./env";

const root = path.resolve(import.meta.dirname, "../..");

/** A fresh database on the DATABASE_URL server, or (unset) a fresh HINDCAST_HOME for an embedded one. */
async function freshDatabase(): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const home = await mkdtemp(path.join(os.tmpdir(), "hindcast-e2e-"));
    return { env: { HINDCAST_HOME: home }, drop: async () => {} };
  }
  const { url, drop } = await scratchDatabase("e2e", serverUrl);
  return { env: { DATABASE_URL: url }, drop };
}

/**
 * Starts Hindcast the way a user does (`scripts/start.ts`: migrations, first
 * admin, dashboard, workers) on a fresh database, then adds an operator and a
 * viewer. Server output goes to test-results/e2e-server-<port>.log.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const database = await freshDatabase();
  await mkdir(path.join(root, "test-results"), { recursive: true });
  const log = createWriteStream(path.join(root, "test-results", `e2e-server-${e2ePort}.log`));
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: undefined,
      ...database.env,
      HINDCAST_PORT: String(e2ePort),
      HINDCAST_WORKERS: process.env.HINDCAST_E2E_WORKERS ?? "2",
      HINDCAST_ADMIN_PASSWORD: accounts.admin.password,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  for (const stream of [server.stdout, server.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    });
  }
  const deadline = Date.now() + 180_000;
  while (!output.includes("Press Ctrl-C")) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`Hindcast did not start:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const admin = await apiAs("admin");
  for (const role of ["operator", "viewer"] as const) {
    await admin.users.create.mutate({
      email: accounts[role].email,
      password: accounts[role].password,
      role: role === "operator" ? "OPERATOR" : "VIEWER",
    });
  }
  return async () => {
    server.kill("SIGINT");
    await exited;
    log.end();
    await database.drop();
  };
}
