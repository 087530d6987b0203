// Start-up time of the `hindcast` CLI: each command spawned afresh, as a
// person or a script runs it, next to a bare `node -e ""` (the floor no CLI
// can go under). Goal: `hindcast --help` in under 400 ms at the median.
//
//   npm run bench:cli-startup -w bench      (BENCH_CLI_RUNS, default 20)
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, percentile } from "./stats";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "apps", "cli", "bin", "hindcast.mjs");
const runs = Number(process.env.BENCH_CLI_RUNS ?? 20);
const goalMs = 400;

const commands: { label: string; args: string[] }[] = [
  { label: 'node -e ""', args: ["-e", ""] },
  { label: "hindcast --help", args: [bin, "--help"] },
  { label: "hindcast train --help", args: [bin, "train", "--help"] },
  { label: "hindcast train list --help", args: [bin, "train", "list", "--help"] },
];

/** Milliseconds from spawn to exit; the command must succeed, and the CLI must print its help. */
function timeOnce(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0 || (args[0] === bin && !result.stdout.includes("Usage: hindcast"))) {
    throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr.trim()}`);
  }
  return ms;
}

// One untimed run each first: tsx compiles the sources once into its cache, as it has on any machine after the first call.
for (const { args } of commands) timeOnce(args);
const samples = new Map(commands.map(({ label }) => [label, [] as number[]]));
// Rounds interleave the commands so machine noise falls on all of them alike.
for (let round = 0; round < runs; round++) {
  for (const { label, args } of commands) samples.get(label)?.push(timeOnce(args));
}

const baseline = median(samples.get('node -e ""') ?? []);
console.log(`CLI start-up, ${runs} runs each (node ${process.version}, ${process.platform}):`);
console.log(`${"command".padEnd(28)}${"median".padStart(10)}${"p95".padStart(10)}${"x node".padStart(9)}`);
for (const { label } of commands) {
  const ms = samples.get(label) ?? [];
  console.log(
    `${label.padEnd(28)}${`${median(ms).toFixed(0)} ms`.padStart(10)}${`${percentile(ms, 95).toFixed(0)} ms`.padStart(10)}${`${(median(ms) / baseline).toFixed(1)}x`.padStart(9)}`,
  );
}
const help = median(samples.get("hindcast --help") ?? []);
console.log(`hindcast --help: median ${help.toFixed(0)} ms, goal under ${goalMs} ms: ${help < goalMs ? "met" : "MISSED"}`);
