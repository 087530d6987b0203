import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chromiumProblem } from "../ensure-chromium";

const script = path.join(import.meta.dirname, "..", "ensure-chromium.ts");
const advice = "Fix: apt-get install chromium fonts-liberation (as root), or set CHROMIUM_PATH; no browser is ever downloaded";

describe("ensure-chromium (before npm test's e2e step)", () => {
  it("installs Debian's Chromium where it is missing and apt is usable, and says what to install where not", () => {
    const target = path.join(mkdtempSync(path.join(os.tmpdir(), "chromium-")), "chromium");
    const base = { configured: undefined, target };
    let installs = 0;
    const refused = chromiumProblem({ ...base, canInstall: () => false, install: () => ++installs > 0 });
    expect(refused).toBe(`The e2e suites need Debian's Chromium at ${target}. ${advice}`);
    expect(installs).toBe(0);
    expect(chromiumProblem({ ...base, canInstall: () => true, install: () => false })).toBe(
      `apt-get could not install Chromium at ${target}. ${advice}`,
    );
    const installed = chromiumProblem({
      ...base,
      canInstall: () => true,
      install: () => {
        installs++;
        writeFileSync(target, "");
        return true;
      },
    });
    expect(installed).toBeUndefined();
    expect(installs).toBe(1);
    // Present: nothing to install.
    expect(chromiumProblem({ ...base, canInstall: () => true, install: () => ++installs > 0 })).toBeUndefined();
    expect(installs).toBe(1);
  });

  it("stops with one line and exit 1 when CHROMIUM_PATH names nothing", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, CHROMIUM_PATH: "/nowhere/chromium" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "CHROMIUM_PATH=/nowhere/chromium does not exist. Fix: point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium",
    ]);
    const ok = spawnSync(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, CHROMIUM_PATH: process.execPath },
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe("");
  });
});
