import { apiAs } from "./support/api";
import { expect, signIn, test } from "./support/fixtures";

test.describe.configure({ timeout: 240_000 });

/**
 * The preview runs the engine's own pipeline, so on the same backend family
 * (wasm in the browser and in the worker) the same spec and seed must give
 * the same retrodiction. Stated tolerance: 0.5% relative on RMSE, MAE and MASE —
 * wasm builds may differ in SIMD and summation order, nothing else differs.
 */
const tolerance = 0.005;
const spec = {
  data: { dataset: "sp500", target: "spx_close" },
  window: { lookback: 28, horizon: 1 },
  model: { kind: "linear" as const },
  train: { epochs: 5, seed: 42 },
  retrodiction: { windows: 2, batchSizeDays: 60 },
};

test("a preview in the browser and a queued run of the same spec and seed report the same retrodiction metrics", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ spec, name: "preview agreement" });
  await signIn(page, "operator");
  // The preview form's defaults are this spec; wasm is the backend the workers here use.
  await page.goto("/preview?backend=wasm");
  await page.getByRole("button", { name: "Train in this browser" }).click();
  await expect(page.getByTestId("preview-backend")).toHaveText("wasm", { timeout: 60_000 });
  const overall = page.getByTestId("retrodiction-overall");
  await expect(overall).toBeVisible({ timeout: 120_000 });
  await expect.poll(async () => (await api.training.get.query({ id })).status, { timeout: 180_000 }).toBe("SUCCEEDED");
  const worker = (await api.runs.results.query({ id }))?.overall;
  expect(worker).toBeTruthy();
  for (const metric of ["rmse", "mae", "mase"] as const) {
    const browser = Number(await overall.getAttribute(`data-${metric}`));
    const queued = worker?.[metric] as number;
    expect(Math.abs(browser - queued) / Math.abs(queued), `${metric}: browser ${browser} vs worker ${queued}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
});
