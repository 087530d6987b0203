import { UserFacingError } from "@hindcast/contracts";
import { estimateSpecMemory, modelKinds, type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import { apiTest, type TestApi } from "@hindcast/test-support";
import { describe, expect, it } from "vitest";
import { runMemoryLimitFrom } from "../src/run-memory";

const data = { dataset: "seattle_weather", target: "temp_max" };
const gib = 1024 ** 3;

describe("the per-run memory budget", () => {
  it("is 4 GiB unless HINDCAST_MAX_RUN_MEMORY_MB says otherwise, and refuses a bad value naming the variable", () => {
    expect(runMemoryLimitFrom({})).toBe(4 * gib);
    expect(runMemoryLimitFrom({ HINDCAST_MAX_RUN_MEMORY_MB: "16384" })).toBe(16 * gib);
    for (const bad of ["lots", "0", "-1", "1.5"]) {
      const refusal = (() => {
        try {
          runMemoryLimitFrom({ HINDCAST_MAX_RUN_MEMORY_MB: bad });
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(UserFacingError);
      expect((refusal as UserFacingError).toLine()).toMatch(/^HINDCAST_MAX_RUN_MEMORY_MB: .*\. Fix: set it to a number of MiB/);
    }
  });

  it("holds every family's default spec well inside, and not the issue's hostile specs", () => {
    const limit = runMemoryLimitFrom({});
    // sp500, the longest built-in dataset: about 5,100 rows.
    for (const kind of modelKinds) {
      const spec = trainingSpecSchema.parse({ data: { dataset: "sp500", target: "spx_close" }, model: { kind } });
      expect(estimateSpecMemory(spec, 5_200).bytes, kind).toBeLessThan(limit / 100);
    }
    // Past the schema's bounds, as they were queued before it had any.
    const base = trainingSpecSchema.parse({ data });
    const hostile: TrainingSpec[] = [
      { ...base, window: { ...base.window, lookback: 1e9 } },
      { ...base, model: { kind: "mlp", hidden: [1e5, 1e5], activation: "relu", dropout: 0, normalize: "lastValue" } },
      { ...base, train: { ...base.train, batchSize: 1e9 } },
    ];
    for (const spec of hostile) expect(estimateSpecMemory(spec).bytes).toBeGreaterThan(limit);
  });
});

describe("training.start and training.clone over HTTP", () => {
  let api: TestApi;
  apiTest.beforeAll(({ api: served }) => {
    api = served;
  });

  const call = (procedure: string, input: unknown) =>
    fetch(`${api.server.url}/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${api.tokens.operator}` },
      body: JSON.stringify({ json: input }),
    });
  const messageOf = async (response: Response) => ((await response.json()) as { error: { json: { message: string } } }).error.json.message;
  const queued = async () =>
    (
      await api.pool.query<{ runs: number; jobs: number }>(
        `SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM graphile_worker.jobs)::int AS jobs`,
      )
    ).rows[0];

  it("answers 400 with the estimate and the limit for a spec inside the bounds but over the budget, and queues nothing", async () => {
    // Eight layers of 4,096 units: every size within the schema's bounds, about 117 M weights.
    const spec = { data, model: { kind: "mlp", hidden: Array(8).fill(4096) } };
    expect(trainingSpecSchema.safeParse(spec).success).toBe(true);
    const before = await queued();
    const response = await call("training.start", { spec, experiment: "too big" });
    expect(response.status).toBe(400);
    expect(await messageOf(response)).toMatch(
      /^This run needs about [\d.]+ GiB of memory \(parameters [\d.]+ GiB, training step [\d.]+ GiB, training windows [\d.]+ KiB\); the server allows 4 GiB per run \(HINDCAST_MAX_RUN_MEMORY_MB\)\. Fix: reduce /,
    );
    expect(await queued()).toEqual(before);
    expect((await api.pool.query(`SELECT 1 FROM "Experiment"`)).rowCount).toBe(0);
  });

  it("checks a clone's changed spec the same way", async () => {
    const started = await call("training.start", { spec: { data, model: { kind: "lstm" } } });
    expect(started.status).toBe(200);
    const { id } = ((await started.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
    const before = await queued();
    const response = await call("training.clone", { id, set: { "train.batchSize": 65_536 } });
    expect(response.status).toBe(400);
    expect(await messageOf(response)).toMatch(/^This run needs about [\d.]+ GiB .* the server allows 4 GiB per run/);
    expect(await queued()).toEqual(before);
  });
});
