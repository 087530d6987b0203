// Before the e2e suites: Debian's Chromium must be there (a downloaded browser
// build is never used). Where it is missing and the system's package manager is
// usable (root and apt-get), it is installed as .ci/run does; otherwise this
// stops with one line saying what to install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const debianChromium = "/usr/bin/chromium";

/** Whether apt-get can install packages here: run as root, with apt-get on PATH. */
export function aptUsable(): boolean {
  return process.getuid?.() === 0 && spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function aptInstall(): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const quiet = { stdio: ["ignore", "ignore", "inherit"] as ("ignore" | "inherit")[], env };
  return (
    spawnSync("apt-get", ["update", "-qq"], quiet).status === 0 &&
    spawnSync("apt-get", ["install", "-y", "-qq", "chromium", "fonts-liberation"], quiet).status === 0
  );
}

/**
 * The problem that keeps the e2e suites from starting, as one line, or
 * undefined when Chromium is ready (installing it first where allowed).
 */
export function chromiumProblem({
  configured = process.env.CHROMIUM_PATH,
  target = debianChromium,
  canInstall = aptUsable,
  install = aptInstall,
}: {
  configured?: string;
  target?: string;
  canInstall?: () => boolean;
  install?: () => boolean;
} = {}): string | undefined {
  if (configured) {
    return existsSync(configured)
      ? undefined
      : `CHROMIUM_PATH=${configured} does not exist. Fix: point it at a Chromium binary, or unset it to use Debian's ${target}`;
  }
  if (existsSync(target)) return undefined;
  const advice = "Fix: apt-get install chromium fonts-liberation (as root), or set CHROMIUM_PATH; no browser is ever downloaded";
  if (!canInstall()) return `The e2e suites need Debian's Chromium at ${target}. ${advice}`;
  process.stderr.write(`Installing Debian's Chromium (apt-get install chromium fonts-liberation) for the e2e suites…\n`);
  if (!install() || !existsSync(target)) return `apt-get could not install Chromium at ${target}. ${advice}`;
  return undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const problem = chromiumProblem();
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
