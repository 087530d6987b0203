import { writeMetricPoints } from "@hindcast/db";
import { forceRunState, seedRuns } from "@hindcast/db/runs/seed";
import { apiTest, type TestApi } from "@hindcast/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller, sessionCookieName, startApiServer } from "../src/index";
import { callProcedure } from "./fuzz/http-cases";

/** Each input here once answered 500, some with the database's own message; now each is a 4xx that says what to fix. */
let api: TestApi;
let auth: Record<string, string>;
let runId: string;
/** A run stored by an older version, under a pipeline this one does not have. */
const legacyRunId = "00000000-0000-4000-8000-0000000000aa";

const typeOf = (procedure: string) =>
  procedure === "metrics.live"
    ? "subscription"
    : /\.(create|createToken|start|upload|cancel|clone)$/.test(procedure)
      ? "mutation"
      : "query";

/** Status and body of a call as the admin (or with `headers`); a subscription's error comes in its stream. */
async function call(procedure: string, input: unknown, headers = auth) {
  const answer = await callProcedure(api.server.url, procedure, typeOf(procedure), input, headers, 500);
  const streamed = /"httpStatus":(\d+)/.exec(answer.body)?.[1];
  return { ...answer, status: streamed ? Number(streamed) : answer.status };
}

apiTest.beforeAll(async ({ api: served }) => {
  api = served;
  auth = { authorization: `Bearer ${api.tokens.admin}` };
  runId = (
    await createCaller({ pool: api.pool, user: api.users.admin }).training.start({
      spec: { data: { dataset: "co2", target: "co2" } },
      requireGpu: true,
    })
  ).id;
  await writeMetricPoints(api.pool, [{ runId, key: "loss", step: 1, value: 1 }]);
  await seedRuns(api.pool, [
    { id: legacyRunId, pipeline: "legacy-pipeline", status: "SUCCEEDED", spec: { data: { dataset: "co2", target: "co2" } } },
  ]);
});

describe("bad input is a 4xx, never a 500", () => {
  it("takes a malformed session cookie for no session, and a valid Bearer token still works", async () => {
    const cookie = `${sessionCookieName}=%ZZ`;
    expect((await call("users.me", undefined, { ...auth, cookie })).status).toBe(200);
    expect((await call("users.me", undefined, { cookie })).status).toBe(401);
  });

  it("answers an artifact id that is no UUID with 404", async () => {
    const response = await fetch(`${api.origin}/api/artifacts/${"-".repeat(36)}`, { headers: auth });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("No such artifact: an artifact id is a UUID");
  });

  it.each([
    ["experiments.create", { name: "a\u0000b" }, "name"],
    ["experiments.create", { name: "ok", description: "a\u0000b" }, "description"],
    ["training.start", { spec: { data: { dataset: "co2", target: "co2" } }, name: "run\u0000" }, "name"],
    ["training.start", { spec: { data: { dataset: "co\u00002", target: "co2" } } }, "spec.data.dataset"],
    ["training.list", { search: "\u0000" }, "search"],
    ["training.list", { experiment: "x\u0000" }, "experiment"],
    ["training.summary", { params: { "data.dataset": "\u0000" } }, "params.data.dataset"],
    ["users.createToken", { name: "cli\u0000" }, "name"],
    ["datasets.upload", { name: "nul_set", csv: "date,value\n2020-01-01,1\n", description: "\u0000" }, "description"],
    ["metrics.sparklines", { runIds: [crypto.randomUUID()], key: "lo\u0000ss" }, "key"],
  ])("%s refuses a NUL in %j (%s)", async (procedure, input, path) => {
    const { status, body } = await call(procedure, input);
    expect(status).toBe(400);
    expect(body).toContain(`"path":"${path}","message":"must not contain control characters (found U+0000`);
  });

  it("refuses a CSV header with a NUL, and rejects a row whose pivot value has one", async () => {
    const header = await call("datasets.upload", { name: "nul_header", csv: "date,va\u0000lue\n2020-01-01,1\n2020-01-02,2\n" });
    expect(header.status).toBe(400);
    expect(header.body).toContain("Column 2 of the header has a control character (U+0000 at position 3)");
    const pivot = await call("datasets.upload", {
      name: "nul_pivot",
      csv: "date,city,value\n2020-01-01,a\u0000b,1\n2020-01-01,a,2\n2020-01-02,a,3\n",
      pivotBy: "city",
    });
    expect(pivot.status).toBe(200);
    expect(pivot.body).toContain('"reason":"bad-pivot-value"');
  });

  it("refuses a date format it does not know, naming dateFormat and the formats it reads", async () => {
    const { status, body } = await call("datasets.upload", { name: "odd_dates", csv: "date,v\n01/13/2021,1\n", dateFormat: "YYYY/DD/MM" });
    expect(status).toBe(400);
    expect(body).toContain(
      '"path":"dateFormat","message":"use MM/DD/YYYY or DD/MM/YYYY, or leave it out to let the rows settle the order"',
    );
  });

  it("bounds numbers by their column: bigint log ids, int metric steps, timestamps", async () => {
    expect((await call("runs.logs", { id: runId, afterId: "9223372036854775807" })).status).toBe(200);
    const logs = await call("runs.logs", { id: runId, afterId: "9223372036854775808" });
    expect([logs.status, logs.body]).toEqual([400, expect.stringContaining('"path":"afterId"')]);
    const series = await call("metrics.series", { runIds: [runId], keys: ["loss"], fromStep: 2 ** 31 });
    expect([series.status, series.body]).toEqual([400, expect.stringContaining('"path":"fromStep"')]);
    const live = await call("metrics.live", { runId, keys: ["loss"], after: { loss: 2 ** 31 } });
    expect([live.status, live.body]).toEqual([400, expect.stringContaining('"path":"after.loss"')]);
    const resumed = await call("metrics.live", { runId, keys: ["loss"], lastEventId: JSON.stringify({ loss: 2 ** 31 }) });
    expect([resumed.status, resumed.body]).toEqual([400, expect.stringContaining("lastEventId is not one this API sent")]);
    expect(resumed.body).toContain('"path":"lastEventId"');
    expect(resumed.body).toContain('"fix":"start without it"');
    const list = await call("training.list", { createdFrom: new Date(-8.64e15) });
    expect([list.status, list.body]).toEqual([400, expect.stringContaining('"path":"createdFrom"')]);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["an id that is no UUID", Buffer.from(JSON.stringify({ value: "2024-01-01T00:00:00.000Z", id: "x" })).toString("base64url")],
    ["a value that is no time", Buffer.from(JSON.stringify({ value: "soon", id: crypto.randomUUID() })).toString("base64url")],
  ])("answers a cursor with %s with 400 naming cursor", async (_, cursor) => {
    const { status, body } = await call("training.list", { cursor });
    expect(status).toBe(400);
    expect(body).toContain("not one this API returned for this sort");
    expect(body).toContain('"path":"cursor"');
  });

  it("maps a database refusal to a clean 4xx: a token for a user that does not exist", async () => {
    const { status, body } = await call("users.createToken", { name: "x", userId: crypto.randomUUID() });
    expect(status).toBe(404);
    expect(body).toContain("A record this refers to does not exist");
    expect(body).not.toContain("ApiToken_userId_fkey");
  });
});

describe("a user error from below the API", () => {
  const answerOf = (body: string) =>
    (JSON.parse(body) as { error: { json: { message: string; data: { path: string | null; fix: string | null } } } }).error.json;

  it.each([
    ["a column the dataset lacks", "training.start", { spec: { data: { dataset: "co2", target: "temp_max" } } }, 400, "spec.data.target"],
    ["an unknown dataset", "training.start", { spec: { data: { dataset: "nope", target: "co2" } } }, 400, "spec.data.dataset"],
    ["a CSV without rows", "datasets.upload", { name: "header_only", csv: "date,value\n" }, 400, "csv"],
    [
      "a date column not in the CSV",
      "datasets.upload",
      { name: "no_day", csv: "date,v\n2020-01-01,1\n", dateColumn: "day" },
      400,
      "dateColumn",
    ],
    ["a dataset name the database refuses", "datasets.upload", { name: "Bad Name", csv: "date,v\n2020-01-01,1\n" }, 400, "name"],
    ["a built-in's name", "datasets.upload", { name: "co2", csv: "date,v\n2020-01-01,1\n" }, 409, "name"],
    ["a taken email", "users.create", { email: "viewer@example.com", role: "VIEWER", password: "long enough password" }, 409, "email"],
    ["a run that does not exist", "training.cancel", { id: "00000000-0000-4000-8000-000000000000" }, 404, null],
    ["a clone of a run whose pipeline this version lacks", "training.clone", { id: legacyRunId }, 400, "id"],
  ])("answers %s with its status, the field and the fix, and nothing of the server", async (_, procedure, input, status, path) => {
    const answer = await call(procedure, input);
    expect(answer.status).toBe(status);
    const { message, data } = answerOf(answer.body);
    expect(data.path).toBe(path);
    expect(data.fix).toMatch(/\w/);
    expect(message.endsWith(`. Fix: ${data.fix}`)).toBe(true);
    expect(message).not.toMatch(/^[\w.]+: /);
    expect(answer.body).not.toMatch(/"stack"|\/work\/|node_modules|\.ts:\d+|postgres(ql)?:\/\/|127\.0\.0\.1/);
  });
});

describe("answers carry no server paths", () => {
  it("leaves artifact URIs out of a run's result summary, for runs stored before they left it too", async () => {
    await forceRunState(api.pool, runId, {
      status: "SUCCEEDED",
      resultSummary: {
        windows: 1,
        artifacts: [{ name: "model/model.json", uri: "file:///srv/hindcast/artifacts/model.json" }],
        results: "file:///srv/r.json",
      },
    });
    for (const [procedure, input] of [
      ["training.get", { id: runId }],
      ["training.list", {}],
    ] as const) {
      const answer = await call(procedure, input);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('"windows":1');
      expect(answer.body).not.toMatch(/file:|\/srv\//);
    }
  });
});

describe("a database that is down", () => {
  it("answers 503 in one line, without its address", async () => {
    const downPool = new pg.Pool({ connectionString: "postgresql://nobody@127.0.0.1:1/nothing", connectionTimeoutMillis: 2_000 });
    const down = await startApiServer(downPool);
    try {
      // users.me fails in plain SQL (the token's user); a sign-in's first read goes through Prisma Client.
      const answers = [
        await fetch(`${down.url}/users.me`, { headers: auth }),
        await fetch(`${down.url}/users.login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { email: "ada@example.com", password: "x" } }),
        }),
      ];
      for (const response of answers) {
        const body = await response.text();
        expect(response.status).toBe(503);
        expect(body).toContain("The database is not reachable right now; try again in a few seconds");
        expect(body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgresql:|prisma/i);
      }
    } finally {
      await down.close();
      await downPool.end();
    }
  });
});
