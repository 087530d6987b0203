import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPool, NotificationHub, prepareDatabase } from "@hindcast/db";
import { expect, test } from "vitest";
import { serveTestApi } from "./api-server";
import { scratchDatabase } from "./database";

/** The test file's name, for the names of what it creates: `packages/db/test/notify.test.ts` -> `notify`. */
function fileLabel(): string {
  return path.basename(expect.getState().testPath ?? "test").replace(/\.test\.ts$/, "");
}

/**
 * Fixtures for a test file on its own scratch database, each made once per
 * file when a test or a `dbTest.beforeAll` first asks for it, and removed after
 * the file's last test and `afterAll`:
 * - `db`: a new database, migrated and with the job queue installed (prepareDatabase);
 * - `pool`: a pg.Pool on it (createPool: a dropped connection never kills the test; pg's default 10 connections);
 * - `hub`: a started NotificationHub on it;
 * - `tempDir`: an empty temporary directory.
 */
export const dbTest = test
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern, and there are none
  .extend("db", { scope: "file" }, async ({}, { onCleanup }) => {
    const db = await scratchDatabase(fileLabel());
    onCleanup(() => db.drop());
    await prepareDatabase(db.url);
    return db;
  })
  .extend("pool", { scope: "file" }, ({ db }, { onCleanup }) => {
    const pool = createPool({ connectionString: db.url });
    onCleanup(() => pool.end());
    return pool;
  })
  .extend("hub", { scope: "file" }, async ({ db }, { onCleanup }) => {
    const hub = new NotificationHub(db.url);
    onCleanup(() => hub.close());
    await hub.start();
    return hub;
  })
  // biome-ignore lint/correctness/noEmptyPattern: as for db
  .extend("tempDir", { scope: "file" }, async ({}, { onCleanup }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `hindcast-${fileLabel()}-`));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    return dir;
  });

/**
 * `dbTest` plus `api`: a viewer, an operator and an admin (with `testPasswords`
 * and a token each) served by the real HTTP API, for the whole file.
 */
export const apiTest = dbTest.extend("api", { scope: "file" }, async ({ db, pool, hub }, { onCleanup }) => {
  const api = await serveTestApi(db, pool, hub);
  onCleanup(() => api.server.close());
  return api;
});
