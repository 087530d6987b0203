import { longSpec, quickSpec } from "@hindcast/test-support/specs";
import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { accounts } from "./support/env";
import { expect, screenshot, screenshotOf, signIn, test } from "./support/fixtures";
import { expectRunMoving, numberAttribute } from "./support/pages";

/** Many small batches: trains long enough (tens of seconds on wasm) to watch and cancel. */
const liveSpec = longSpec(60, { batchSize: 16 });

const headerStatus = (page: Page) => page.locator("header").getByTestId("run-status");

test.describe.configure({ timeout: 180_000 });

/**
 * The retrodiction is judged against the best of six classical baselines:
 * a verdict naming it, every baseline in the table (fitted with its order, or
 * unavailable with a reason) after the model's own row, and the model's
 * 80% and 95% intervals shaded on the forecast chart next to actual, model
 * and the best baseline.
 */
async function expectJudgedAgainstBaselines(page: Page) {
  const verdict = page.getByTestId("retrodiction-verdict");
  await expect(verdict).toHaveText(
    /The model (beats every classical baseline; the best, .+, by \d+\.\d% RMSE|does not beat the best classical baseline: .+ beats it by \d+\.\d% RMSE)/,
  );
  await expect(verdict).toContainText("Against the naive forecast");
  const best = (await verdict.getAttribute("data-best")) as string;
  expect(["naive", "seasonalNaive", "ar", "arima", "ets", "theta"]).toContain(best);

  const baselines = page.getByTestId("baselines-table");
  await expect(baselines.locator("tbody tr").first()).toHaveAttribute("data-forecaster", "model");
  for (const name of ["naive", "seasonalNaive", "ar", "arima", "ets", "theta"]) {
    const row = baselines.locator(`tr[data-baseline="${name}"]`);
    await expect(row, name).toHaveCount(1);
    const unavailable = (await row.getAttribute("data-unavailable")) !== null;
    // A fitted baseline shows its skill as a signed percentage; one that could not be fitted says why.
    await expect(row.locator("td").last(), name).toHaveText(unavailable ? /^unavailable: .+/ : /^[+−]?\d+\.\d%$/);
  }
  await expect(baselines).toContainText(/AR\(\d+\)/);
  await expect(baselines).toContainText(/ARIMA\(\d,\d,\d\)/);
  await expect(baselines.locator("tr[data-best]")).toHaveAttribute("data-baseline", best);
  await expect(page.getByTestId("interval-metrics")).toContainText("95% interval coverage");

  const chart = page.getByTestId("forecast-chart");
  await expect(chart).toHaveAttribute("data-bands", "2");
  const legend = chart.locator(".u-legend");
  for (const label of ["actual", "model", "model 95% high", "model 95% low", "model 80% high", "model 80% low"]) {
    await expect(legend.locator(".u-series", { hasText: label }).first()).toBeVisible();
  }
  // The best baseline's forecast is drawn, labelled as fitted in this window (each window fits its own order).
  const picker = page.getByRole("group", { name: "Baselines on the chart" });
  const bestPick = picker.locator(`label[data-baseline="${best}"]`);
  await expect(bestPick.getByRole("checkbox")).toBeChecked();
  await expect(legend).toContainText((await bestPick.getAttribute("data-label")) as string);
  // Another baseline's forecast is one click away.
  const otherName = await picker
    .locator("label", { has: page.getByRole("checkbox", { checked: false, disabled: false }) })
    .first()
    .getAttribute("data-baseline");
  const other = picker.locator(`label[data-baseline="${otherName}"]`).getByRole("checkbox");
  const seriesCount = await legend.locator(".u-series").count();
  await other.check();
  await expect(legend.locator(".u-series")).toHaveCount(seriesCount + 1);
  await other.uncheck();
  await expect(legend.locator(".u-series")).toHaveCount(seriesCount);
}

test("a running run shows live progress and loss, and can be cancelled after a confirmation", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: live", spec: liveSpec, tags: ["e2e", "live"] });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  await expect(page.getByRole("heading", { name: /e2e run page: live/ })).toBeVisible();

  const message = page.getByTestId("progress-message");
  await expect(message).toHaveText(/Epoch \d+\/60 · Batch \d+\/\d+/, { timeout: 60_000 });
  await expectRunMoving(page, 30_000);
  await expect(page.getByTestId("stage-timeline")).toContainText("train");
  await expect(page.getByTestId("run-logs")).toContainText("Attempt 1");
  await screenshot(page, "run-page-running");

  // Escape closes the dialog and leaves the run alone.
  await page.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this run?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel run" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(headerStatus(page)).toHaveText("RUNNING");

  await page.getByRole("button", { name: "Cancel run" }).click();
  await dialog.getByRole("button", { name: "Cancel run" }).click();
  await expect(headerStatus(page)).toHaveText("CANCELLED", { timeout: 30_000 });
  await expect(message).toContainText("Cancelled during");
  await expect(page.getByRole("button", { name: "Retry run" })).toBeVisible();
  // The timeline says who cancelled the run; a cancellation is no failure for recovery to decide about.
  const cancelled = page.getByTestId("stage-timeline").locator('tr[data-outcome="cancelled"]');
  await expect(cancelled).toContainText("train");
  await expect(cancelled).toContainText(`cancelled by ${accounts.operator.email}`);
  await expect(page.getByTestId("stage-timeline")).not.toContainText("recovery");
  expect((await api.training.get.query({ id })).status).toBe("CANCELLED");
  await screenshot(page, "run-page-cancelled");
});

test("a run its worker handed back at shutdown says so, and which attempt resumed it", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: handed back", spec: liveSpec });
  await expect.poll(async () => (await api.training.get.query({ id })).step, { timeout: 60_000 }).toBeGreaterThan(50);
  const holder = (await api.workers.list.query()).find((worker) => worker.runIds.includes(id));
  if (!holder) throw new Error(`no worker holds run ${id}`);
  // What a worker does on SIGTERM (npm start's Ctrl-C): hands its runs back to the queue; the other worker resumes this one.
  process.kill(holder.pid, "SIGTERM");
  await expect.poll(async () => (await api.training.get.query({ id })).attempt, { timeout: 60_000 }).toBe(2);

  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  const timeline = page.getByTestId("stage-timeline");
  await expect(timeline.locator('tr[data-outcome="cancelled"]')).toHaveText(/^train.*handed back at shutdown, resumed as attempt 2/);
  await expect(timeline).toContainText("Attempt 2");
  await expect(timeline).not.toContainText("recovery");
  await screenshotOf(page.getByRole("region", { name: "Stages" }), "run-page-handed-back");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotOf(page.getByRole("region", { name: "Stages" }), "run-page-handed-back-dark");
  await api.training.cancel.mutate({ id });
  await expect(headerStatus(page)).toHaveText("CANCELLED", { timeout: 30_000 });
});

test("a finished run shows its retrodiction, downloadable results.json, and Retry starts a new run", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: finished", spec: quickSpec });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  await expect(headerStatus(page)).toHaveText("SUCCEEDED", { timeout: 120_000 });

  const table = page.getByTestId("retrodiction-table");
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator("tfoot")).toContainText("Overall (all 2 windows)");
  await expectJudgedAgainstBaselines(page);
  // Each RMSE says what it covers: the banner's all windows, the window/ series' last value the last window only.
  await expect(page.getByTestId("retrodiction-verdict")).toContainText(/\(RMSE over all 2 windows: \S+ vs \S+\)/);
  const series = page.getByRole("group", { name: "Series" });
  await expect(series.getByRole("checkbox", { name: /^window\/rmse · last window \S+$/ })).toHaveCount(1);
  await expect(series.getByRole("checkbox", { name: /^val_loss · last \S+$/ })).toHaveCount(1);
  await expect.poll(() => numberAttribute(page.getByTestId("forecast-chart"), "data-points")).toBeGreaterThan(0);
  await expect.poll(() => numberAttribute(page.getByTestId("loss-chart"), "data-points")).toBeGreaterThan(0);
  await expect(page.getByRole("progressbar", { name: "Run progress" })).toHaveAttribute("aria-valuenow", "100");

  const download = page.getByRole("link", { name: "Download results.json" });
  const href = await download.getAttribute("href");
  expect(href).toMatch(/^\/api\/artifacts\/[0-9a-f-]{36}$/);
  const response = await page.request.get(href as string);
  expect(response.status()).toBe(200);
  const results = (await response.json()) as { windows: unknown[]; overall: { rmse: number } };
  expect(results.windows).toHaveLength(2);
  expect(results.overall.rmse).toBeGreaterThan(0);
  await expect(page.getByTestId("artifacts")).toContainText("model/model.json");
  const retrodiction = page.getByRole("region", { name: "Retrodiction" });
  await screenshot(page, "run-page-finished");
  await screenshotOf(retrodiction, "run-page-retrodiction");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "run-page-finished-dark");
  await screenshotOf(retrodiction, "run-page-retrodiction-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "run-page-finished-narrow");
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByRole("button", { name: "Retry run" }).click();
  const dialog = page.getByRole("dialog", { name: "Retry this run?" });
  await expect(dialog.getByRole("button", { name: "Retry run" })).toBeFocused();
  await dialog.getByRole("button", { name: "Retry run" }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const retryId = page.url().split("/").at(-1) as string;
  await expect(page.getByRole("heading", { name: /e2e run page: finished \(retry\)/ })).toBeVisible();
  expect((await api.training.get.query({ id: retryId })).spec).toEqual((await api.training.get.query({ id })).spec);
});

test("clone with changes names a bad value next to its field and starts the changed run", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: clone", spec: quickSpec });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  await page.getByRole("button", { name: "Clone with changes" }).click();
  const dialog = page.getByRole("dialog", { name: "Clone with changes" });
  await dialog.getByLabel("Value 1").fill("-4");
  await dialog.getByRole("button", { name: "Start clone" }).click();
  await expect(dialog.getByLabel("Path 1")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.locator(".field-error")).toContainText(/too small|>0|positive/i);
  await dialog.getByLabel("Value 1").fill("2");
  await dialog.getByRole("button", { name: "Start clone" }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  const cloneId = page.url().split("/").at(-1) as string;
  expect((await api.training.get.query({ id: cloneId })).params["train.epochs"]).toBe(2);
});

test("a diverging run shows why it failed and what recovery tried", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({
    name: "e2e run page: diverges",
    spec: { ...quickSpec, train: { epochs: 5, optimizer: "sgd", learningRate: 1e6 } },
  });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  await expect(headerStatus(page)).toHaveText("FAILED", { timeout: 120_000 });
  const failure = page.getByRole("alert").filter({ hasText: "Failed in train" });
  await expect(failure).toContainText("divergence");
  await expect(failure.getByRole("table")).toContainText("rollback");
  await expect(page.getByTestId("stage-timeline")).toContainText("rolled back");
  await expect(page.getByTestId("stage-timeline")).toContainText("recovery: rollback");
  await screenshot(page, "run-page-failed");
});

test("a parallel retrodiction lists its child runs and aggregates their windows", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: parallel", spec: quickSpec, pipeline: "parallel-retrodiction" });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  const children = page.getByTestId("child-runs");
  await expect(children.locator("tbody tr")).toHaveCount(2);
  await expect(children).toContainText("window 1/2");
  await expect(headerStatus(page)).toHaveText("SUCCEEDED", { timeout: 120_000 });
  await expect(children.getByTestId("run-status")).toHaveText(["SUCCEEDED", "SUCCEEDED"]);
  await expect(page.getByTestId("retrodiction-table").locator("tbody tr")).toHaveCount(2);
  await expect.poll(() => numberAttribute(page.getByTestId("forecast-chart"), "data-points")).toBeGreaterThan(0);
  await screenshot(page, "run-page-parallel");
  await children.getByRole("link", { name: /window 2\/2/ }).click();
  await expect(page.getByRole("link", { name: id.slice(0, 8) })).toBeVisible();

  // On /runs the children are nested under their parent, carry its model and dataset, and stay out of the verdict.
  const tag = `parallel-${Date.now()}`;
  const tagged = await api.training.start.mutate({
    name: `${tag} parent`,
    spec: quickSpec,
    pipeline: "parallel-retrodiction",
    tags: [tag],
  });
  await expect.poll(async () => (await api.training.get.query({ id: tagged.id })).status, { timeout: 120_000 }).toBe("SUCCEEDED");
  await page.goto(`/runs?tags=${tag}`);
  const table = page.getByTestId("runs-table");
  await expect(table.locator("tbody tr[data-run-id]")).toHaveCount(1);
  await expect(page.getByTestId("runs-verdict")).toContainText("of 1 with a retrodiction");
  await table.getByRole("button", { name: `Show the 2 child runs of ${tag} parent` }).click();
  const childRows = table.locator(`tbody tr[data-parent-id="${tagged.id}"]`);
  await expect(childRows).toHaveCount(2);
  await expect(childRows.first()).toContainText("window 1/2");
  await expect(childRows.locator('td[data-column="model"]')).toHaveText(["linear", "linear"]);
  await expect(page.getByTestId("runs-verdict")).toContainText("of 1 with a retrodiction");
  await screenshot(page, "runs-children");
  await table.getByRole("button", { name: `Hide the 2 child runs of ${tag} parent` }).click();
  await expect(childRows).toHaveCount(0);
});

test("a multi-step forecast shows its errors by horizon step", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({
    name: "e2e run page: horizon 3",
    spec: { ...quickSpec, window: { lookback: 28, horizon: 3 }, retrodiction: { windows: 1, batchSizeDays: 30 } },
  });
  await signIn(page, "viewer");
  await page.goto(`/runs/${id}`);
  await expect(headerStatus(page)).toHaveText("SUCCEEDED", { timeout: 120_000 });
  const steps = page.getByTestId("step-errors");
  await expect(steps.locator("tbody tr")).toHaveCount(3);
  await expect(steps.locator("tbody tr").first().locator("td").first()).toHaveText("1");
  await expect.poll(() => numberAttribute(page.getByTestId("step-errors-chart"), "data-points")).toBe(6);
  await expect(page.getByTestId("baselines-table").locator("tr[data-baseline]")).toHaveCount(6);
  await screenshotOf(page.getByRole("region", { name: "Retrodiction" }), "run-page-horizon-3");
});

test("viewers see the run without Cancel, Retry or Clone; unknown ids say Run not found", async ({ page }) => {
  const operator = await apiAs("operator");
  const { id } = await operator.training.start.mutate({ name: "e2e run page: viewer", spec: quickSpec });
  await signIn(page, "viewer");
  await page.goto(`/runs/${id}`);
  await expect(page.getByRole("heading", { name: /e2e run page: viewer/ })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Run progress" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expect(headerStatus(page)).toHaveText("SUCCEEDED", { timeout: 120_000 });
  await expect(page.getByRole("button", { name: "Retry run" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Clone with changes" })).toHaveCount(0);
  await screenshot(page, "run-page-viewer");

  await page.goto("/runs/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "Run not found" })).toBeVisible();
  await page.goto("/runs/not-a-run");
  await expect(page.getByRole("heading", { name: "Run not found" })).toBeVisible();
  for (const malformed of ["/runs/%ZZ", "/runs/%E0%A4%A", "/runs/%C0%AF"]) {
    const response = await page.request.get(malformed);
    expect(response.status(), malformed).toBe(400);
    expect(await response.text()).toBe("Bad request: the address has a malformed %-escape");
  }
});
