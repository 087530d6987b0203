import { expect, screenshot, signIn, test } from "./support/fixtures";

test.describe("browser preview on WebGPU", () => {
  test.describe.configure({ timeout: 200_000 });
  test("trains in a Web Worker on WebGPU and shows the forecast and the metrics against the baselines", async ({ page }) => {
    await signIn(page, "viewer");
    await page.goto("/preview");
    // SwiftShader emulates the GPU on the CPU (a few hundred samples/s here): one epoch and one window keep this test short.
    await page.getByLabel("Epochs").fill("1");
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
  });
});
