import { writeMetricPoints } from "@hindcast/db";
import { apiTest, type TestApi } from "@hindcast/test-support";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { z } from "zod";
import { appRouter, createApiToken, createCaller, sessionCookieName } from "../src/index";
import { callProcedure, type Exchange, malformedRequests, noAnswer, problemOf } from "./fuzz/http-cases";
import { arbitraryFor, type Vocabulary } from "./fuzz/zod-arbitrary";

/**
 * Every procedure over real HTTP with seeded random input: shaped like its
 * zod schema, near its bounds or hostile. Any 5xx, or an answer that shows a
 * stack trace, a connection string, a host:port or a server path, fails.
 * HINDCAST_FUZZ_SEED replays a run; HINDCAST_FUZZ_CASES changes its size.
 */
const seed = Number(process.env.HINDCAST_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const totalCases = Number(process.env.HINDCAST_FUZZ_CASES ?? 3_000);
const concurrency = 6;
/** How long a subscription is read before it is cut off. */
const sseMs = 150;

interface Procedure {
  path: string;
  type: string;
  inputs: z.ZodType[];
}
const procedures: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: z.ZodType[] } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs }));

let api: TestApi;
let adminId: string;
let artifactId: string;
let vocabulary: Vocabulary;

apiTest.beforeAll(async ({ api: served }) => {
  api = served;
  const { pool } = api;
  adminId = api.users.admin.id;
  const caller = createCaller({ pool, user: api.users.admin });
  const { id: runId } = await caller.training.start({ spec: { data: { dataset: "co2", target: "co2" } }, requireGpu: true });
  await writeMetricPoints(
    pool,
    [1, 2, 3].map((step) => ({ runId, key: "loss", step, value: 1 / step })),
  );
  await pool.query(`INSERT INTO "LogLine" ("runId", "level", "message") VALUES ($1, 'INFO', 'hello')`, [runId]);
  artifactId = (
    await pool.query<{ id: string }>(
      `INSERT INTO "Artifact" ("id", "runId", "name", "kind", "uri") VALUES (gen_random_uuid(), $1, 'results.json', 'results', 'file:///tmp/hindcast-fuzz-missing/results.json') RETURNING "id"`,
      [runId],
    )
  ).rows[0]?.id as string;
  vocabulary = {
    uuids: [runId, adminId, artifactId],
    byField: {
      dataset: ["co2", "seattle_weather"],
      target: ["co2", "temp_max"],
      features: ["temp_min", "precipitation"],
      name: ["fuzz_set", "co2", "a run"],
      experiment: ["fuzz"],
      search: ["co2", "%", "_"],
      key: ["loss"],
      keys: ["loss"],
      metricKeys: ["loss"],
      after: ["loss"],
      params: ["model.kind", "data.dataset"],
      chartColumn: ["co2"],
      csv: [
        "date,value\n2020-01-01,1\n2020-01-02,2\n",
        "date,va\u0000lue\n2020-01-01,1\n2020-01-02,2\n",
        "date,city,value\n2020-01-01,a\u0000b,1\n2020-01-02,a,2\n",
        "date,value\n0000-01-01,1\n2020-01-02,2\n",
      ],
      description: ["about", "line one\nline two"],
      dateColumn: ["date"],
      pivotBy: ["city"],
      afterId: ["1", "9223372036854775807"],
      cursor: [Buffer.from(JSON.stringify({ value: "x", id: "nope" })).toString("base64url"), "e30"],
      lastEventId: ['{"loss":2147483648}', '{"lo\\u0000ss":1}', "{}"],
      email: ["admin@example.com"],
      tokenName: ["cli"],
    },
  };
});

/** Cookies a browser might send: none, a malformed one (which must count as no session), or garbage. */
const cookies = fc.constantFrom<string | undefined>(
  undefined,
  undefined,
  undefined,
  `${sessionCookieName}=%ZZ`,
  `${sessionCookieName}=hc_nope; x=%E0%A4%A`,
);

/** A case per procedure call: its input (merged when a procedure has several input parsers) and its cookie. */
function casesFor(procedure: Procedure, count: number, caseSeed: number) {
  const input = procedure.inputs.length
    ? fc
        .tuple(...procedure.inputs.map((schema) => arbitraryFor(schema, vocabulary)))
        .map((parts) =>
          parts.length === 1 || parts.some((part) => part === null || typeof part !== "object") ? parts[0] : Object.assign({}, ...parts),
        )
    : fc.oneof(fc.constant(undefined), arbitraryFor({ _zod: { def: { type: "unknown" } } }, vocabulary));
  return fc.sample(fc.record({ input, cookie: cookies }), { seed: caseSeed, numRuns: count });
}

/** Runs `tasks` with at most `limit` in flight. */
async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function describeInput(input: unknown): string {
  try {
    const text = JSON.stringify(input, (_, value) => (typeof value === "bigint" ? `${value}n` : value));
    return text === undefined ? "undefined" : text.length > 300 ? `${text.slice(0, 300)}...` : text;
  } catch {
    return String(input);
  }
}

it("answers every procedure's random, boundary and hostile input without a 5xx or a leak", async () => {
  const started = performance.now();
  const malformed = malformedRequests(api.server.url, artifactId);
  // A procedure without input has little to vary (a cookie, a stray body): most cases go to those with one.
  const withInput = procedures.filter((procedure) => procedure.inputs.length).length;
  const noInputCases = 10;
  const inputCases = Math.max(1, Math.floor((totalCases - malformed.length - noInputCases * (procedures.length - withInput)) / withInput));
  const casesOf = (procedure: Procedure) => (procedure.inputs.length ? inputCases : noInputCases);
  console.log(
    `fuzz: seed ${seed} (HINDCAST_FUZZ_SEED to replay), ${procedures.reduce((n, procedure) => n + casesOf(procedure), malformed.length)} cases over ${procedures.length} procedures`,
  );
  // A fresh admin token per request, deleted after it: logout, revokeToken and setRole cannot lock the run out, and token lists stay short.
  const withToken = async <T>(request: (headers: Record<string, string>) => Promise<T>): Promise<T> => {
    const { id, token } = await createApiToken(api.pool, adminId, "fuzz");
    try {
      return await request({ authorization: `Bearer ${token}` });
    } finally {
      await api.pool.query(`DELETE FROM "ApiToken" WHERE "id" = $1`, [id]);
    }
  };
  const noAnswerFrom = (error: Error) => ({ status: noAnswer, body: String(error.cause ?? error) });
  const tasks: (() => Promise<Exchange>)[] = procedures.flatMap((procedure, index) =>
    casesFor(procedure, casesOf(procedure), seed + index).map(({ input, cookie }) => async () => {
      const answer = await withToken((auth) =>
        callProcedure(api.server.url, procedure.path, procedure.type, input, { ...auth, ...(cookie ? { cookie } : {}) }, sseMs),
      ).catch(noAnswerFrom);
      return { label: `${procedure.path} ${cookie ? `(cookie ${cookie}) ` : ""}${describeInput(input)}`, ...answer };
    }),
  );
  for (const request of malformed) {
    tasks.push(async () => {
      const answer = await withToken(async (auth) => {
        const response = await fetch(request.url, { ...request.init, headers: { ...auth, ...request.init.headers } });
        return { status: response.status, body: await response.text() };
      }).catch(noAnswerFrom);
      return { label: request.label, ...answer };
    });
  }
  const exchanges = await inParallel(tasks, concurrency);
  const failures = exchanges.flatMap((exchange) => {
    const problem = problemOf(exchange);
    return problem ? [`${exchange.label}\n    -> ${problem}: ${exchange.body.slice(0, 300)}`] : [];
  });
  console.log(`fuzz: ${exchanges.length} cases in ${((performance.now() - started) / 1000).toFixed(1)} s, ${failures.length} failed`);
  expect(failures.slice(0, 40), `seed ${seed}: ${failures.length} failures (HINDCAST_FUZZ_SEED=${seed} replays)`).toEqual([]);
});
