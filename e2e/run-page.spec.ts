import type { Locator, Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { expect, screenshot, signIn, test } from "./support/fixtures";

/** S&P 500 log returns, many small batches: trains long enough (tens of seconds on wasm) to watch and cancel. */
const longSpec = {
  data: { dataset: "sp500", target: "spx_close", transform: "logReturn" as const },
  train: { epochs: 60, batchSize: 16, patience: 0, refitEpochs: 1 },
  retrodiction: { windows: 1, batchSizeDays: 30 },
};
/** Finishes in a few seconds, with two retrodiction windows. */
const quickSpec = {
  data: { dataset: "seattle_weather", target: "temp_max" },
  train: { epochs: 3, refitEpochs: 1 },
  retrodiction: { windows: 2, batchSizeDays: 30 },
};

const number = async (locator: Locator, attribute: string) => Number(await locator.getAttribute(attribute));
const headerStatus = (page: Page) => page.locator("header").getByTestId("run-status");

test.describe.configure({ timeout: 180_000 });

test("a running run shows live progress and loss, and can be cancelled after a confirmation", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: live", spec: longSpec, tags: ["e2e", "live"] });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  await expect(page.getByRole("heading", { name: /e2e run page: live/ })).toBeVisible();

  const message = page.getByTestId("progress-message");
  await expect(message).toHaveText(/Epoch \d+\/60 · Batch \d+\/\d+/, { timeout: 60_000 });
  const bar = page.getByRole("progressbar", { name: "Run progress" });
  const startPercent = await number(bar, "aria-valuenow");
  await expect.poll(() => number(bar, "aria-valuenow"), { timeout: 30_000 }).toBeGreaterThan(startPercent);

  const chart = page.getByTestId("loss-chart");
  await expect.poll(() => number(chart, "data-points"), { timeout: 30_000 }).toBeGreaterThan(0);
  const points = await number(chart, "data-points");
  await expect.poll(() => number(chart, "data-points"), { timeout: 30_000 }).toBeGreaterThan(points);
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
  await expect(page.getByTestId("stage-timeline").locator('tr[data-outcome="cancelled"]')).toContainText("train");
  expect((await api.training.get.query({ id })).status).toBe("CANCELLED");
  await screenshot(page, "run-page-cancelled");
});

test("a finished run shows its retrodiction, downloadable results.json, and Retry starts a new run", async ({ page }) => {
  const api = await apiAs("operator");
  const { id } = await api.training.start.mutate({ name: "e2e run page: finished", spec: quickSpec });
  await signIn(page, "operator");
  await page.goto(`/runs/${id}`);
  await expect(headerStatus(page)).toHaveText("SUCCEEDED", { timeout: 120_000 });

  const table = page.getByTestId("retrodiction-table");
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator("tfoot")).toContainText("Overall");
  await expect(page.getByTestId("retrodiction-verdict")).toHaveText(/beat(s)? the naive baseline/);
  await expect.poll(() => number(page.getByTestId("forecast-chart"), "data-points")).toBeGreaterThan(0);
  await expect.poll(() => number(page.getByTestId("loss-chart"), "data-points")).toBeGreaterThan(0);
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
  await screenshot(page, "run-page-finished");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "run-page-finished-dark");
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
  await expect.poll(() => number(page.getByTestId("forecast-chart"), "data-points")).toBeGreaterThan(0);
  await screenshot(page, "run-page-parallel");
  await children.getByRole("link", { name: /window 2\/2/ }).click();
  await expect(page.getByRole("link", { name: id.slice(0, 8) })).toBeVisible();
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
});
