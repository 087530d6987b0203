import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "@hindcast/db";
import { expect, onTestFinished } from "vitest";

const tsx = path.join(projectRoot, "node_modules", ".bin", "tsx");
export const migrateBin = path.join(projectRoot, "packages", "db", "src", "bin", "migrate.ts");
const startBin = path.join(projectRoot, "scripts", "start.ts");

/** A fresh HINDCAST_HOME, removed when the current test ends. */
export async function tempHome(): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), "hindcast-home-"));
  onTestFinished(() => rm(home, { recursive: true, force: true }));
  return home;
}

/** The test's environment for an entry point: quiet logs, and no DATABASE_URL unless given. */
function entryPointEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...extra };
  if (!("DATABASE_URL" in extra)) delete env.DATABASE_URL;
  return env;
}

/** Runs an entry point to its end. */
export function runEntryPoint(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [script], { env: entryPointEnv(env), cwd: projectRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface StackProcess {
  process: ChildProcess;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start` in its own process group, like a shell's foreground job, so a
 * test can send the whole group a terminal's Ctrl-C: by default its command
 * alone (node --import tsx scripts/start.ts), or through `npm` itself.
 * Resolves once it prints that it is up.
 */
export async function startStack(env: Record<string, string>, via: "node" | "npm" = "node"): Promise<StackProcess> {
  const [command, args] = via === "npm" ? ["npm", ["start"]] : [process.execPath, ["--import", "tsx", startBin]];
  const child = spawn(command, args, { env: entryPointEnv({ HINDCAST_PORT: "0", ...env }), cwd: projectRoot, detached: true });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const stack = { process: child, pid: child.pid as number, output: () => output, exited };
  // What the stack was once up with, too: a stack that lost its parent (npm) is no longer in its tree.
  let upTree: number[] = [];
  onTestFinished(() => killAll([...upTree, ...processTree(stack.pid)]));
  await expect.poll(() => output, { timeout: 60_000, interval: 200 }).toMatch(/Press Ctrl-C/);
  upTree = processTree(stack.pid);
  return stack;
}

/** The pids of a process and all its descendants, now. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

export function alive(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/** Sends a signal and resolves with the exit code and how long the stack took to exit. */
export async function stopStack(
  stack: StackProcess,
  signal: NodeJS.Signals,
  target: "group" | "process",
): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  process.kill(target === "group" ? -stack.pid : stack.pid, signal);
  const code = await stack.exited;
  return { code, ms: Date.now() - started };
}

/** Cleanup after a failed test: nothing the test started may outlive it. */
export function killAll(pids: number[]): void {
  for (const pid of alive(pids)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // It exited meanwhile.
    }
  }
}
