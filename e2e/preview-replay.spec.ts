import { apiAs } from "./support/api";
import { expect, screenshot, signIn, test } from "./support/fixtures";

test.describe.configure({ timeout: 240_000 });

/** Same backend family as the workers here (wasm), so the replay must give the run's numbers; 0.5% as in preview-agreement. */
const tolerance = 0.005;

/** A small Seattle retrodiction, run to SUCCEEDED by the app's workers. */
async function finishedRun(name: string, train: { epochs: number; refitEpochs: number }): Promise<string> {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({
    name,
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
  const rows = page.getByTestId("replay-table").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    const run = Number(await row.getAttribute("data-run-rmse"));
    const here = Number(await row.getAttribute("data-here-rmse"));
    expect(run).toBeGreaterThan(0);
    expect(Math.abs(here - run) / run, `window ${await row.getAttribute("data-window")}: here ${here} vs run ${run}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
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
