import { seedRuns } from "@hindcast/db/runs/seed";
import { dbTest } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { rejection } from "./rejection";

let pool: pg.Pool;
const viewer = { id: "00000000-0000-4000-8000-000000000001", email: "viewer@example.com", role: "VIEWER" as const };
const ids = {
  alone: "1a2b3c4d-0000-4000-8000-000000000001",
  twinA: "77aa0000-1111-4000-8000-000000000001",
  twinB: "77aa0000-2222-4000-8000-000000000002",
  low: "abcd0000-0000-4000-8000-000000000000",
  high: "abcdffff-ffff-4fff-bfff-ffffffffffff",
};

dbTest.beforeAll(async ({ pool: migrated }) => {
  pool = migrated;
  await seedRuns(
    pool,
    Object.entries(ids).map(([name, id]) => ({ id, name, pipeline: "retrodiction" })),
  );
});

describe("training.resolveIds", () => {
  const resolve = (prefixes: string[]) => createCaller({ pool, user: viewer }).training.resolveIds({ prefixes });

  it("answers the whole id of each unique prefix, in order, whatever its case, dashes or length", async () => {
    expect(await resolve(["1a2b3c4d", "77AA0000-1", "77aa0000-2222", ids.alone])).toEqual({
      ids: [ids.alone, ids.twinA, ids.twinB, ids.alone],
    });
    // The ends of a prefix's range are its runs too.
    expect(await resolve(["abcd0000-0", "abcdffff"])).toEqual({ ids: [ids.low, ids.high] });
  });

  it("names the candidates of an ambiguous prefix, and 404s a prefix no run has", async () => {
    const ambiguous = await rejection(resolve(["77aa"]));
    expect(ambiguous.code).toBe("BAD_REQUEST");
    expect(ambiguous.message).toBe(`77aa matches 2 runs: ${ids.twinA} (twinA, QUEUED), ${ids.twinB} (twinB, QUEUED); give more of the id`);
    const missing = await rejection(resolve(["1a2b3c4d", "ffff"]));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe("No run id starts with ffff");
    // Every prefix's problem at once, so a user fixes them in one go.
    expect((await rejection(resolve(["0000", "abcd"]))).message).toMatch(/^No run id starts with 0000; abcd matches 2 runs: /);
  });

  it("refuses what cannot start a run id, naming the field", async () => {
    for (const bad of ["1a2", "1a2b3c4dx", "1a2b-3c4d", "zzzz", `${ids.alone}0`, "%%%%", "1a2b3c4d0"]) {
      const error = await rejection(resolve([bad]));
      expect(error.code, bad).toBe("BAD_REQUEST");
      expect(error.message, bad).toMatch(/use 4 to 36 characters of a run id/);
    }
    expect((await rejection(resolve([]))).code).toBe("BAD_REQUEST");
  });
});
