import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { expect, screenshot, signIn, test } from "./support/fixtures";

test.describe.configure({ timeout: 240_000 });

/** Same backend family as the workers here (wasm), so the replay must give the run's numbers; 0.5% as in preview-agreement. */
const tolerance = 0.005;

/** A small Seattle retrodiction, run to SUCCEEDED by the app's workers. */
async function finishedRun(
  name: string,
  train: { epochs: number; refitEpochs: number },
  pipeline: "retrodiction" | "parallel-retrodiction" = "retrodiction",
): Promise<string> {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({
    name,
    pipeline,
    spec: {
      data: { dataset: "seattle_weather", target: "temp_max", from: "2014-01-01" },
      window: { lookback: 14, horizon: 1 },
      model: { kind: "linear" },
      train: { ...train, seed: 7 },
      retrodiction: { windows: 2, batchSizeDays: 30 },
    },
  });
  await expect.poll(async () => (await api.training.get.query({ id })).status, { timeout: 180_000 }).toBe("SUCCEEDED");
  return id;
}

/** Every replayed window's RMSE within the tolerance of the one the run reported for it. */
async function expectRunNumbers(page: Page, windows: number) {
  const rows = page.getByTestId("replay-table").locator("tbody tr");
  await expect(rows).toHaveCount(windows);
  for (const row of await rows.all()) {
    const run = Number(await row.getAttribute("data-run-rmse"));
    const here = Number(await row.getAttribute("data-here-rmse"));
    expect(run).toBeGreaterThan(0);
    expect(Math.abs(here - run) / run, `window ${await row.getAttribute("data-window")}: here ${here} vs run ${run}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}

test("a finished run's saved model predicts its retrodiction again in the browser, to the run's numbers", async ({ page }) => {
  const id = await finishedRun("replay me", { epochs: 2, refitEpochs: 0 });

  await signIn(page, "viewer");
  await page.goto(`/runs/${id}`);
  await page.getByRole("link", { name: "Predict again in this browser" }).click();
  await expect(page).toHaveURL(new RegExp(`/preview\\?run=${id}`));
  // The link's run is chosen; wasm is forced so the comparison is like for like.
  await page.goto(`/preview?run=${id}&backend=wasm`);
  await expect(page.getByLabel("Finished run")).toHaveValue(id);
  await page.getByRole("button", { name: "Predict again in this browser" }).click();
  await expect(page.getByTestId("preview-backend")).toHaveText("wasm", { timeout: 60_000 });
  await expect(page.getByTestId("replay-status")).toContainText("Predicted 2 of 2 windows", { timeout: 60_000 });
  await expectRunNumbers(page, 2);
  await expect(page.getByTestId("retrodiction-verdict")).toBeVisible();
  await screenshot(page, "preview-replay");
});

test("a run refitted before each window replays only its last window, and says why", async ({ page }) => {
  const id = await finishedRun("replay refitted", { epochs: 1, refitEpochs: 1 });
  await signIn(page, "viewer");
  await page.goto(`/preview?run=${id}&backend=wasm`);
  await page.getByRole("button", { name: "Predict again in this browser" }).click();
  await expect(page.getByTestId("replay-status")).toContainText("Predicted 1 of 2 windows", { timeout: 60_000 });
  await expect(page.getByTestId("replay-status")).toContainText("refitted before each window");
  await expect(page.getByTestId("replay-table").locator("tbody tr")).toHaveAttribute("data-window", "1");
});

test("a parallel retrodiction replays every window with the model of the child run that predicted it", async ({ page }) => {
  const id = await finishedRun("replay parallel", { epochs: 1, refitEpochs: 1 }, "parallel-retrodiction");
  await signIn(page, "viewer");
  await page.goto(`/runs/${id}`);
  await expect(page.getByRole("link", { name: "Predict again in this browser" })).toBeVisible();
  await page.goto(`/preview?run=${id}&backend=wasm`);
  await page.getByRole("button", { name: "Predict again in this browser" }).click();
  await expect(page.getByTestId("replay-status")).toContainText("Predicted 2 of 2 windows", { timeout: 60_000 });
  await expect(page.getByTestId("replay-status")).toContainText("(2 models)");
  await expectRunNumbers(page, 2);
  await screenshot(page, "preview-replay-parallel");
});
