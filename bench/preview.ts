// Browser preview training throughput per TF.js backend, side by side in one
// Chromium: the real app (scripts/start.ts on a fresh database, as the e2e
// suites start it), the /preview page forced to one backend at a time
// (?backend=<name>), the same small spec for each. Rounds interleave the
// backends so machine noise falls on all of them alike. Each page load trains
// twice: "cold" includes the backend's start-up (shader compiles, wasm load),
// "warm" is the second training in the same Web Worker.
//
//   npm run bench:preview -w bench      (BENCH_PREVIEW_ROUNDS, default 3)
import { chromium, type Page } from "@playwright/test";
import { median, percentile } from "./stats";

process.env.HINDCAST_E2E_PORT ??= "3291";
process.env.HINDCAST_E2E_WORKERS ??= "0";
const { default: startApp } = await import("../e2e/support/global-setup");
const { chromiumLaunchOptions, e2eBaseUrl } = await import("../e2e/support/env");
const { signIn } = await import("../e2e/support/fixtures");

const backends = ["webgpu", "webgl", "wasm", "cpu"] as const;
const rounds = Number(process.env.BENCH_PREVIEW_ROUNDS ?? 3);
const spec = { epochs: "2", windows: "1" };

type Sample = { cold: number; warm: number };
const samples = new Map<string, Sample[]>(backends.map((b) => [b, []]));
const unavailable = new Map<string, string>();

/** One training on the page; its samples/s over the train stage, or why it could not run. */
async function train(page: Page): Promise<number | string> {
  await page.getByRole("button", { name: "Train in this browser" }).click();
  const throughput = page.getByTestId("preview-throughput");
  const failed = page.locator(".banner-error");
  await throughput.or(failed).first().waitFor({ timeout: 300_000 });
  if (await failed.isVisible()) return (await failed.innerText()).trim();
  return Number(await throughput.getAttribute("data-samples-per-second"));
}

const stop = await startApp();
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const page = await browser.newPage({ baseURL: e2eBaseUrl });
  await signIn(page, "viewer");
  for (let round = 1; round <= rounds; round++) {
    for (const backend of backends) {
      if (unavailable.has(backend)) continue;
      await page.goto(`/preview?backend=${backend}`);
      await page.getByLabel("Epochs").fill(spec.epochs);
      await page.getByLabel("Windows").fill(spec.windows);
      const cold = await train(page);
      if (typeof cold === "string") {
        unavailable.set(backend, cold);
        continue;
      }
      const label = await page.getByTestId("preview-backend").innerText();
      if (label !== backend) throw new Error(`?backend=${backend} trained on ${label}`);
      const warm = await train(page);
      if (typeof warm === "string") throw new Error(`${backend}: the second training failed: ${warm}`);
      samples.get(backend)?.push({ cold, warm });
      process.stderr.write(`round ${round} ${backend}: cold ${cold.toFixed(0)}, warm ${warm.toFixed(0)} samples/s\n`);
    }
  }
} finally {
  await browser.close();
  await stop();
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(8);
const reference = median((samples.get("wasm") ?? []).map((s) => s.warm));
console.log(`\nBrowser preview training, samples/s over the train stage (sp500, linear, ${spec.epochs} epochs), ${rounds} rounds`);
console.log(
  `${"backend".padEnd(8)} ${"warm p50".padStart(8)} ${"warm p5".padStart(8)} ${"cold p50".padStart(8)} ${"cold p5".padStart(8)}  vs wasm (warm p50)`,
);
for (const backend of backends) {
  const runs = samples.get(backend) ?? [];
  if (runs.length === 0) {
    console.log(`${backend.padEnd(8)} not available: ${unavailable.get(backend) ?? "no runs"}`);
    continue;
  }
  const warm = runs.map((s) => s.warm);
  const cold = runs.map((s) => s.cold);
  // Throughput's bad tail is its low end: p5 of samples/s is the p95 of time per sample.
  console.log(
    `${backend.padEnd(8)} ${fmt(median(warm))} ${fmt(percentile(warm, 5))} ${fmt(median(cold))} ${fmt(percentile(cold, 5))}  ${(median(warm) / reference).toFixed(2)}x`,
  );
}
