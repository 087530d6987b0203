import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { bootstrapAdmin, createApiToken } from "@hindcast/api";
import { projectRoot } from "@hindcast/db";
import type pg from "pg";
import { testPasswords } from "./api-server";
import { killAll, processTree } from "./entry-point";
import { quickTimeouts, type WorkerProcess } from "./worker-process";

const run = promisify(execFile);
const workerMain = path.join(projectRoot, "apps", "worker", "src", "main.ts");
const apiServerMain = path.join(projectRoot, "packages", "test-support", "src", "api-server-main.ts");

/** A process started inside a host's namespace (`ip netns exec` execs, so its pid is node's). */
export type HostProcess = WorkerProcess;

/**
 * A "machine" of its own: a Linux network namespace joined to the root
 * namespace by a veth pair on a /30 of its own. The only way out is a TCP
 * forwarder in this process, on the root side of the veth, to PostgreSQL; the
 * host's HOME, HINDCAST_HOME and artifacts folder are temporary folders of its own.
 */
export interface NetnsHost {
  namespace: string;
  /** The host's address inside its namespace: what the root namespace reaches it at. */
  address: string;
  /** DATABASE_URL as seen from inside the namespace (the forwarder). */
  databaseUrl: string;
  /** The environment every process of the host gets: nothing of this process's Hindcast, database or worker settings. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

async function ip(...args: string[]): Promise<void> {
  await run("ip", args);
}

/** 10.213.0.0/16 cut into /30s, two per test process (slot 0 or 1); the pid keeps test processes on one machine apart. */
function subnetOf(slot: 0 | 1): { root: string; inside: string } {
  const base = ((process.pid % 8192) * 2 + slot) * 4;
  const octets = (offset: number) => `10.213.${Math.floor((base + offset) / 256)}.${(base + offset) % 256}`;
  return { root: octets(1), inside: octets(2) };
}

interface Forwarder {
  port: number;
  close(): Promise<void>;
}

/** Listens on `host` and pipes each connection to `target`; closing it cuts every connection it carries. */
async function forward(host: string, target: { host: string; port: number }): Promise<Forwarder> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", cut).on("close", cut);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Environment variables that would tell a host about this machine's database, store or settings. */
const hostLocal = /^(DATABASE_URL|HINDCAST_|WORKER_|PG[A-Z]+$)/;

/**
 * Makes the namespace `hc-<label>-<pid>` with its veth pair, forwarder and
 * folders; `slot` (0 or 1) picks its subnet. Needs root and iproute2. A
 * host made halfway is removed before the error is thrown.
 */
export async function createNetnsHost(label: string, slot: 0 | 1, databaseUrl: string): Promise<NetnsHost> {
  const namespace = `hc-${label}-${process.pid}`;
  const vethRoot = `hc${label}${process.pid}r`;
  const vethInside = `hc${label}${process.pid}n`;
  const { root, inside } = subnetOf(slot);
  let forwarder: Forwarder | undefined;
  let dir: string | undefined;
  const remove = async () => {
    await forwarder?.close();
    // Deleting the namespace deletes the veth end in it, and with it the pair; the root end alone when the move failed.
    await ip("netns", "del", namespace).catch(() => {});
    await ip("link", "del", vethRoot).catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    await ip("netns", "add", namespace).catch((error: { stderr?: string }) => {
      throw new Error(
        `cannot create the network namespace ${namespace} (${String(error.stderr ?? error).trim()}): this test needs root and iproute2 (ip netns)`,
      );
    });
    await ip("link", "add", vethRoot, "type", "veth", "peer", "name", vethInside);
    await ip("link", "set", vethInside, "netns", namespace);
    await ip("addr", "add", `${root}/30`, "dev", vethRoot);
    await ip("link", "set", vethRoot, "up");
    await ip("-n", namespace, "addr", "add", `${inside}/30`, "dev", vethInside);
    await ip("-n", namespace, "link", "set", vethInside, "up");
    await ip("-n", namespace, "link", "set", "lo", "up");

    const database = new URL(databaseUrl);
    forwarder = await forward(root, { host: database.hostname, port: Number(database.port || 5432) });
    const hostUrl = new URL(databaseUrl);
    hostUrl.hostname = root;
    hostUrl.port = String(forwarder.port);

    dir = await mkdtemp(path.join(os.tmpdir(), `hindcast-host-${label}-`));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !hostLocal.test(entry[0])),
    );
    const env = {
      ...inherited,
      HOME: dir,
      HINDCAST_HOME: path.join(dir, "hindcast"),
      HINDCAST_ARTIFACTS_DIR: path.join(dir, "artifacts"),
      DATABASE_URL: hostUrl.toString(),
      LOG_LEVEL: "warn",
    };
    return { namespace, address: inside, databaseUrl: env.DATABASE_URL, env, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** `node --import tsx <script>` inside the host's namespace, with its environment plus `env`. */
export function spawnInHost(host: NetnsHost, script: string, env: Record<string, string> = {}): HostProcess {
  const child: ChildProcess = spawn("ip", ["netns", "exec", host.namespace, process.execPath, "--import", "tsx", script], {
    cwd: projectRoot,
    env: { ...host.env, ...env },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { process: child, pid: child.pid as number, output: () => output, exited };
}

/** SIGKILL to a process and everything it started (a worker's trainers); resolves once the process itself is gone. */
export async function killHostProcess(hostProcess: HostProcess): Promise<void> {
  killAll(processTree(hostProcess.pid));
  await hostProcess.exited;
}

async function waitFor(what: string, hostProcess: HostProcess, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ready())) {
    if (hostProcess.process.exitCode !== null || Date.now() > deadline) {
      await killHostProcess(hostProcess);
      throw new Error(`${what} did not come up:\n${hostProcess.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A real worker (apps/worker/src/main.ts) in the host, on wasm or cpu with
 * `spawnWorker`'s quick timings, one training at a time; resolves once
 * `pool` (the root namespace's view of the database) sees it ONLINE, with its Worker id.
 */
export async function startWorkerInHost(host: NetnsHost, pool: pg.Pool): Promise<HostProcess & { workerId: string }> {
  const worker = spawnInHost(host, workerMain, {
    HINDCAST_BACKEND: "wasm,cpu",
    WORKER_CONCURRENCY: "1",
    ...quickTimeouts,
  });
  let workerId = "";
  await waitFor(`the worker in ${host.namespace}`, worker, async () => {
    const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Worker" WHERE "pid" = $1 AND "status" = 'ONLINE'`, [worker.pid]);
    workerId = rows[0]?.id ?? "";
    return workerId !== "";
  });
  return { ...worker, workerId };
}

/** The real API HTTP server (api-server-main.ts) in the host, on its address; resolves with its origin once it listens. */
export async function startApiInHost(host: NetnsHost): Promise<HostProcess & { origin: string }> {
  const server = spawnInHost(host, apiServerMain, { HINDCAST_API_HOST: host.address });
  const origin = () => server.output().match(/^(http:\/\/\S+)$/m)?.[1];
  await waitFor(`the API server in ${host.namespace}`, server, async () => origin() !== undefined);
  return { ...server, origin: origin() as string };
}

/** An admin's API token on a database that has no users yet. */
export async function adminToken(pool: pg.Pool): Promise<string> {
  await bootstrapAdmin(pool, "admin@example.com", testPasswords.admin);
  const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = 'admin@example.com'`);
  return (await createApiToken(pool, rows[0]?.id as string, "two hosts")).token;
}
