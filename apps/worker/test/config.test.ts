import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { projectRoot, UserFacingError } from "@hindcast/db";
import { describe, expect, it } from "vitest";
import { loadWorkerConfig } from "../src/config";

describe("worker configuration", () => {
  it("takes defaults, then the YAML file, then environment variables", async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), "hindcast-config-")), "worker.yaml");
    await writeFile(file, "concurrency: 3\nheartbeatMs: 500\nbackends: [wasm, cpu]\n");
    const config = loadWorkerConfig({ HINDCAST_WORKER_CONFIG: file, WORKER_HEARTBEAT_MS: "750" });
    expect(config).toMatchObject({ concurrency: 3, heartbeatMs: 750, backends: ["wasm", "cpu"], deadAfterMs: 10_000 });
    expect(loadWorkerConfig({ HINDCAST_BACKEND: "cpu" }).backends).toEqual(["cpu"]);
  });

  it("names every bad value and where it came from", () => {
    const error = (() => {
      try {
        loadWorkerConfig({ WORKER_CONCURRENCY: "lots", HINDCAST_BACKEND: "cuda,cpu" });
      } catch (e) {
        return e as UserFacingError;
      }
    })();
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error?.message).toMatch(/WORKER_CONCURRENCY: .*number/);
    expect(error?.message).toMatch(/HINDCAST_BACKEND\.0: .*(tensorflow|webgpu|wasm|cpu)/);
    expect(() => loadWorkerConfig({ HINDCAST_WORKER_CONFIG: "/nonexistent/worker.yaml" })).toThrow(/does not exist/);
  });

  it("the worker process exits 1 with one clear line on bad configuration", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "apps", "worker", "src", "main.ts")], {
      cwd: projectRoot,
      env: { ...process.env, WORKER_CONCURRENCY: "0", LOG_LEVEL: "warn" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hindcast: Invalid worker configuration: WORKER_CONCURRENCY: .*\. Fix: /);
  });
});
