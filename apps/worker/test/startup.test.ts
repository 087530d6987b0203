import { spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { type WorkerTestDatabase, workerTest } from "./harness";

let db: WorkerTestDatabase;
let worker: WorkerProcess | undefined;

workerTest.beforeAll(({ workerDb }) => {
  db = workerDb;
});

afterAll(async () => {
  if (worker) await stopWorker(worker, "SIGKILL");
});

describe("worker: start-up output", () => {
  it("says in one line why each better backend was turned down, without the native libraries' own noise", async () => {
    worker = await spawnWorker(db.url, db.artifactsDir, { env: { HINDCAST_BACKEND: "webgpu,wasm,cpu", LOG_LEVEL: "info" } });
    const { rows } = await db.pool.query<{ backend: string; capabilities: { rejected: { backend: string; reason: string }[] } }>(
      `SELECT "backend", "capabilities" FROM "Worker" WHERE "pid" = $1`,
      [worker.pid],
    );
    const row = rows[0];
    if (!row) throw new Error("the worker did not register");
    // Whatever a native library writes as the process ends counts too.
    expect(await stopWorker(worker)).toBe(0);
    const output = worker.output();
    // Dawn writes "Couldn't load Vulkan ... (.../BackendVk.cpp:368)" to stderr from native code where it finds no adapter.
    expect(output).not.toMatch(/BackendVk\.cpp|^Warning:/m);
    const lines = output.split("\n").filter((line) => line.trim() !== "");
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    for (const rejected of row.capabilities.rejected) {
      expect(rejected.reason).not.toContain("\n");
      expect(messages.filter((m) => m === `backend ${rejected.backend} rejected: ${rejected.reason}`)).toHaveLength(1);
    }
    if (row.backend !== "webgpu") expect(row.capabilities.rejected.map((r) => r.backend)).toEqual(["webgpu"]);
  });
});
