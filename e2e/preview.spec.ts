import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
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
    await page.getByRole("spinbutton", { name: "Epochs", exact: true }).fill("1");
    await page.getByLabel("Min steps").fill("0");
    await page.getByRole("spinbutton", { name: "Windows", exact: true }).fill("1");
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
    await page.getByRole("button", { name: "Queue this spec as it is" }).click();
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

test("the preview warns when its windows hold too few points, and queues the full defaults with its data and model choices", async ({
  page,
}) => {
  await signIn(page, "operator");
  await page.goto("/preview");
  await page.getByRole("combobox", { name: "Dataset", exact: true }).selectOption("co2");
  await page.getByRole("combobox", { name: "Target", exact: true }).selectOption("co2");
  await page.getByRole("combobox", { name: "Model", exact: true }).selectOption("mlp");
  // Monthly data: 60-day windows hold about 2 points each.
  await page.getByLabel("Days per window").fill("60");
  const warning = page.getByTestId("preview-window-warning");
  await expect(warning).toContainText("a retrodiction window of 60 days holds about 2 of co2's monthly rows");
  await expect(warning).toContainText(/Use windows of at least \d+ days/);
  await expect(warning).toContainText("the full defaults' 90-day windows hold about 3 too");
  await screenshot(page, "preview-few-points");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "preview-few-points-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByLabel("Days per window").fill("400");
  await expect(warning).toHaveCount(0);

  await page.getByRole("button", { name: "Queue with the full defaults (20 epochs, 6 windows of 90 days)" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").at(-1) as string;
  const api = await apiAs("operator");
  const run = await api.training.get.query({ id });
  // The queued spec keeps the data and model choices and takes the schema's defaults for training and retrodiction.
  expect(run.spec).toMatchObject({
    data: { dataset: "co2", target: "co2" },
    model: { kind: "mlp" },
    train: { epochs: 20, minSteps: 500 },
    retrodiction: { windows: 6, batchSizeDays: 90 },
  });
  await api.training.cancel.mutate({ id });
});
