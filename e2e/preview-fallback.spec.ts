import { chromiumLaunchOptions } from "./support/env";
import { expect, screenshot, signIn, test } from "./support/fixtures";

test.use({ launchOptions: chromiumLaunchOptions({ webgpu: false }) });

test("the preview falls back to another backend without WebGPU and says why", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/preview");
  await page.getByLabel("Epochs").fill("1");
  await page.getByLabel("Windows").fill("1");
  await page.getByRole("button", { name: "Train in this browser" }).click();
  await expect(page.getByTestId("preview-backend")).not.toHaveText("webgpu", { timeout: 60_000 });
  await expect(page.getByTestId("preview-rejected")).toContainText(/webgpu not used: .+/);
  await expect(page.getByTestId("preview-status")).toContainText("succeeded", { timeout: 120_000 });
  await screenshot(page, "preview-fallback");
});
