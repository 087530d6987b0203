import type { Page } from "@playwright/test";
import { expect, screenshot, signIn, test } from "./support/fixtures";

/** Each fitted baseline's label and overall RMSE, as the baselines table shows them. */
async function baselineRmses(page: Page): Promise<Record<string, { label: string; rmse: number }>> {
  const rows = page.getByTestId("baselines-table").locator("tr[data-baseline][data-rmse]");
  const entries = await rows.evaluateAll((trs) =>
    trs.map((tr) => [
      tr.getAttribute("data-baseline"),
      { label: tr.getAttribute("data-label"), rmse: Number(tr.getAttribute("data-rmse")) },
    ]),
  );
  return Object.fromEntries(entries);
}

test.describe("browser preview on WebGPU", () => {
  test.describe.configure({ timeout: 300_000 });
  test("trains in a Web Worker on WebGPU, judges it against the same baselines as a worker run of the same spec", async ({ page }) => {
    await signIn(page, "operator");
    await page.goto("/preview");
    // SwiftShader emulates the GPU on the CPU (a few hundred samples/s here): one epoch (no minimum of steps that would
    // add epochs) and one window keep this test short.
    await page.getByLabel("Epochs").fill("1");
    await page.getByLabel("Min steps").fill("0");
    await page.getByLabel("Windows").fill("1");
    await page.getByRole("button", { name: "Train in this browser" }).click();
    await expect(page.getByTestId("preview-backend")).toHaveText("webgpu", { timeout: 60_000 });
    // The page stays responsive while the worker trains: a click on the theme button is handled at once.
    const theme = page.getByRole("button", { name: /^Theme:/ });
    await theme.click();
    await expect(theme).toHaveText("Theme: light");
    await expect(page.getByTestId("preview-status")).toContainText("succeeded", { timeout: 150_000 });
    // The run page's view of the results: verdict against the best baseline, and all six baselines.
    await expect(page.getByTestId("retrodiction-verdict")).toContainText("classical baseline");
    await expect(page.getByTestId("baselines-table").locator("tr[data-baseline]")).toHaveCount(6);
    await expect(page.getByTestId("preview-loss-chart")).not.toHaveAttribute("data-points", "0");
    await screenshot(page, "preview-webgpu");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "preview-webgpu-dark");
    await page.emulateMedia({ colorScheme: "light" });
    const inBrowser = await baselineRmses(page);
    expect(Object.keys(inBrowser).length).toBeGreaterThanOrEqual(4);

    // The same spec through the queue and a Node worker: the baselines are fitted by the same code on the same rows,
    // so their orders agree exactly and their RMSEs within the statsmodels agreement test's 2%.
    await page.getByRole("button", { name: "Queue this as a full training" }).click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect(page.locator("header").getByTestId("run-status")).toHaveText("SUCCEEDED", { timeout: 120_000 });
    await expect(page.getByTestId("baselines-table").locator("tr[data-baseline]")).toHaveCount(6);
    const inWorker = await baselineRmses(page);
    expect(Object.keys(inWorker).sort()).toEqual(Object.keys(inBrowser).sort());
    for (const [name, { label, rmse }] of Object.entries(inBrowser)) {
      expect(inWorker[name]?.label, name).toBe(label);
      expect(
        Math.abs((inWorker[name]?.rmse ?? Number.NaN) / rmse - 1),
        `${label}: worker ${inWorker[name]?.rmse}, browser ${rmse}`,
      ).toBeLessThanOrEqual(0.02);
    }
  });
});
