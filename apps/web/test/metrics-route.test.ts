import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiHandler } from "@hindcast/api";
import { seedRuns } from "@hindcast/db/runs/seed";
import { apiTest } from "@hindcast/test-support";
import superjson from "superjson";
import { describe, expect } from "vitest";
import { parseScrape, sampleValue } from "../../../packages/observability/test/scrape";
import { createWebMetrics, serveMetricsRoute } from "../metrics-route";

describe("the dashboard's /metrics", () => {
  apiTest("counts runs, times API calls by procedure and status, and counts open SSE streams", async ({ api, onTestFinished }) => {
    const [runId] = await seedRuns(api.pool, [{ pipeline: "retrodiction" }, { pipeline: "retrodiction", status: "RUNNING" }]);
    // The dashboard server's composition (apps/web/server.ts) without Next: /metrics, then the API.
    const metrics = createWebMetrics(api.pool);
    const handleApi = createApiHandler(api.pool, api.hub, metrics);
    const server = createServer((req, res) => {
      if (serveMetricsRoute(metrics, req, res)) return;
      void handleApi(req, res).then((handled) => (handled ? undefined : res.writeHead(404).end()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const scrape = async () => parseScrape(await (await fetch(`${origin}/metrics`)).text());
    const viewer = { authorization: `Bearer ${api.tokens.viewer}` };

    expect((await fetch(`${origin}/api/trpc/workers.list`, { headers: viewer })).status).toBe(200);
    expect((await fetch(`${origin}/api/trpc/workers.list`)).status).toBe(401);
    expect((await fetch(`${origin}/api/trpc/no.such.procedure`, { headers: viewer })).status).toBe(404);
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ id: runId })));
    const stream = new AbortController();
    const events = await fetch(`${origin}/api/trpc/training.events?input=${input}`, {
      headers: { ...viewer, accept: "text/event-stream" },
      signal: stream.signal,
    });
    expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);

    const open = await scrape();
    expect(sampleValue(open, "hindcast_runs", { status: "QUEUED" })).toBe(1);
    expect(sampleValue(open, "hindcast_runs", { status: "RUNNING" })).toBe(1);
    expect(sampleValue(open, "hindcast_queue_jobs", { task: "train_any" })).toBe(0);
    expect(sampleValue(open, "hindcast_sse_clients")).toBe(1);
    expect(sampleValue(open, "hindcast_http_request_duration_seconds_count", { procedure: "workers.list", status: "200" })).toBe(1);
    expect(sampleValue(open, "hindcast_http_request_duration_seconds_count", { procedure: "workers.list", status: "401" })).toBe(1);
    expect(sampleValue(open, "hindcast_http_request_duration_seconds_count", { procedure: "unknown", status: "404" })).toBe(1);
    expect(open.some((s) => s.labels.procedure === "training.events")).toBe(false);

    stream.abort();
    await expect.poll(async () => sampleValue(await scrape(), "hindcast_sse_clients")).toBe(0);
  });

  apiTest("asks for the scrape token when HINDCAST_METRICS_TOKEN is set", async ({ api, onTestFinished }) => {
    const metrics = createWebMetrics(api.pool);
    const server = createServer((req, res) => {
      if (!serveMetricsRoute(metrics, req, res, "scrape-secret")) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/HINDCAST_METRICS_TOKEN/);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong-secret!" } })).status).toBe(401);
    const scraped = await fetch(url, { headers: { authorization: "Bearer scrape-secret" } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^# HELP/m);
  });
});
