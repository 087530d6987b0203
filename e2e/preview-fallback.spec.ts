import { chromiumLaunchOptions } from "./support/env";
import { expect, screenshot, signIn, test } from "./support/fixtures";

test.use({ launchOptions: chromiumLaunchOptions({ webgpu: false }) });

test("the preview falls back to another backend without WebGPU and says why", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/preview");
  await page.getByRole("spinbutton", { name: "Epochs", exact: true }).fill("1");
  await page.getByRole("spinbutton", { name: "Windows", exact: true }).fill("1");
  // Variables, transform and date range, as a queued run takes them; a range the wrong way round is named first.
  await page.getByRole("checkbox", { name: "spx_volume" }).check();
  await page.getByRole("combobox", { name: "Transform", exact: true }).selectOption("logReturn");
  await page.getByLabel(/^From/).fill("2016-01-01");
  await page.getByLabel(/^To/).fill("2015-01-01");
  await page.getByRole("button", { name: "Train in this browser" }).click();
  await expect(page.getByText("must not be before data.from (2016-01-01)")).toBeVisible();
  await expect(page.getByTestId("preview-status")).toHaveCount(0);
  await page.getByLabel(/^To/).fill("2019-12-31");
  await page.getByRole("button", { name: "Train in this browser" }).click();
  await expect(page.getByTestId("preview-backend")).not.toHaveText("webgpu", { timeout: 60_000 });
  await expect(page.getByTestId("preview-rejected")).toContainText(/webgpu not used: .+/);
  await expect(page.getByTestId("preview-status")).toContainText("succeeded", { timeout: 120_000 });
  await expect(page.getByTestId("retrodiction-table")).toContainText("2019-");
  await screenshot(page, "preview-fallback");
});
