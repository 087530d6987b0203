import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../src/index";

let dir: string;
let program: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-logger-"));
  program = path.join(dir, "log.mts");
  const logger = path.join(projectRoot, "packages", "db", "src", "logger.ts");
  await writeFile(program, `import { logger } from ${JSON.stringify(logger)};\nlogger.info({ runs: 2 }, "workers stopped");\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the program with its stdout a pipe, or a pseudo-terminal (util-linux `script`); resolves with what it wrote. */
function run(terminal: boolean): Promise<string> {
  const node = [process.execPath, "--import", "tsx", program];
  const env = { ...process.env, LOG_LEVEL: "info" };
  // exec: without it a non-bash $SHELL stays between script and node.
  const child = terminal
    ? spawn("script", ["-qfec", `exec ${node.map((a) => `'${a}'`).join(" ")}`, "/dev/null"], { cwd: projectRoot, env })
    : spawn(node[0] as string, node.slice(1), { cwd: projectRoot, env });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.on("close", () => resolve(output)));
}

describe("the logger", () => {
  it("writes JSON lines into a pipe", async () => {
    const lines = (await run(false)).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 30, name: "hindcast", msg: "workers stopped", runs: 2 });
  });

  it("writes one readable line on a terminal", async () => {
    const output = stripVTControlCharacters(await run(true)).trim();
    expect(output).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: workers stopped \{"runs":2\}$/);
  });
});
