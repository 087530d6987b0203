import { axeViolations, describeViolations, isSerious } from "./support/axe";
import { expect, screenshot, signIn, test } from "./support/fixtures";
import { numberAttribute, themes } from "./support/pages";

test.describe.configure({ timeout: 240_000 });
test.use({ viewport: { width: 1400, height: 900 } });

/**
 * The sweep journey: a sweep set up in the New training form (the
 * form's spec as its base, two searched fields, ASHA from epoch 1), a range
 * the server refuses shown beside its field, then the sweep page as its
 * trials arrive and end, its parallel coordinates and importance, and the
 * best config trained on all windows in one click.
 *
 * The searched fields (refit epochs of the later windows, checkpoint interval)
 * leave the first training alone, so every trial has the same validation loss
 * at the rung and ASHA lets them all go on: four trials succeed, enough for
 * importance, in the time of one or two rounds of two-epoch linear models.
 */
test("start a sweep from the form, watch its trials arrive, see parallel coordinates and importance, train the best", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/new");
  await expect(page.getByLabel("Dataset", { exact: true }).locator("option")).not.toHaveCount(1);
  await page.getByLabel("Dataset", { exact: true }).selectOption("seattle_weather");
  await page.getByLabel("Target column", { exact: true }).selectOption("temp_max");
  await page.getByLabel("Lookback", { exact: true }).fill("14");
  await page.getByLabel("Epochs", { exact: true }).fill("2");
  await page.getByLabel("Windows", { exact: true }).fill("2");
  await page.getByLabel("Window length (days)", { exact: true }).fill("30");
  await page.getByLabel("Name", { exact: true }).fill("e2e sweep");
  await page.getByLabel("Tags", { exact: true }).fill("e2e-sweep");

  await page.getByRole("radio", { name: "Sweep" }).check();
  await expect(page.getByRole("button", { name: "Start sweep" })).toBeVisible();
  // The first row searches the learning rate; search refit epochs instead.
  await page.getByLabel("Spec field 1", { exact: true }).selectOption("train.refitEpochs");
  await expect(page.getByLabel("Distribution 1", { exact: true })).toHaveValue("int");
  await page.getByLabel("Min 1", { exact: true }).fill("0");
  await page.getByLabel("Max 1", { exact: true }).fill("2");
  await page.getByRole("button", { name: "Search another field" }).click();
  await page.getByLabel("Spec field 2", { exact: true }).selectOption("train.checkpointEvery");
  await page.getByLabel("Method", { exact: true }).selectOption("random");
  await page.getByLabel("Trials", { exact: true }).fill("4");
  await page.getByLabel("Parallel trials", { exact: true }).fill("4");
  await expect(page.getByLabel("Early stopping", { exact: true })).toHaveValue("asha");
  await page.getByLabel("First rung (epochs)", { exact: true }).fill("1");

  // The YAML tab shows the same sweep spec a `hindcast sweep start` file holds.
  await page.getByRole("tab", { name: "YAML / JSON" }).click();
  await expect(page.getByLabel("Sweep spec as YAML")).toHaveValue(/space:\n\s+train\.refitEpochs:\n\s+int:/);
  await page.getByRole("tab", { name: "Form" }).click();
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `sweep-form-${theme}`);
    expect.soft(describeViolations((await axeViolations(page)).filter(isSerious)), `form in sweep mode (${theme})`).toBe("");
  }

  // The server checks the range (here inverted) and the form shows its error beside the field, by its path.
  await page.getByLabel("Min 1", { exact: true }).fill("2");
  await page.getByLabel("Max 1", { exact: true }).fill("0");
  await page.getByRole("button", { name: "Start sweep" }).click();
  await expect(page.getByTestId("form-errors")).toContainText("space.train.refitEpochs.int");
  await expect(page.getByLabel("Min 1", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-sweep-space-0-min-error")).toContainText("inverted");
  await page.getByLabel("Min 1", { exact: true }).fill("0");
  await page.getByLabel("Max 1", { exact: true }).fill("2");

  await page.getByRole("button", { name: "Start sweep" }).click();
  await expect(page).toHaveURL(/\/sweeps\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: /e2e sweep/ })).toBeVisible();
  // Trials arrive on the page while it polls: first queued or running, then ended, without a reload.
  await expect(page.getByTestId("sweep-status")).toHaveText("RUNNING");
  await expect(page.locator("tr[data-trial]").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("sweep-status")).toHaveText("SUCCEEDED", { timeout: 180_000 });
  const trials = page.locator("tr[data-trial]");
  await expect(trials).toHaveCount(4);
  await expect(trials.getByTestId("run-status")).toHaveText(Array(4).fill("SUCCEEDED"));
  // ASHA judged each at its rung (epoch 1) and let it go on.
  await expect(trials.filter({ hasText: "epoch 1" })).toHaveCount(4);

  const parallel = page.getByTestId("sweep-parallel");
  await expect(parallel).toHaveAttribute("data-axes", "3");
  await expect(parallel).toHaveAttribute("data-runs", "4");
  await expect(parallel.locator("g[data-best]")).toHaveCount(1);
  const importance = page.getByTestId("importance").locator("li");
  await expect(importance).toHaveCount(2);
  await expect.poll(() => numberAttribute(page.getByTestId("sweep-curve"), "data-points")).toBeGreaterThan(0);
  await expect(page.getByTestId("best-trial")).toContainText("train.refitEpochs");
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `sweep-page-${theme}`);
    expect.soft(describeViolations((await axeViolations(page)).filter(isSerious)), `sweep page (${theme})`).toBe("");
  }

  // The trials as CSV, one row per trial with its searched values.
  const csv = await page.request.get((await page.getByRole("link", { name: "Download trials CSV" }).getAttribute("href")) as string);
  expect(csv.ok(), await csv.text()).toBe(true);
  expect((await csv.text()).split("\n")[0]).toContain("train.refitEpochs");

  await page.getByRole("link", { name: "All sweeps" }).click();
  await expect(page.getByTestId("sweep-list").getByRole("link", { name: "e2e sweep" })).toBeVisible();
  await page.goBack();

  await page.getByRole("button", { name: "Train the best config on all windows" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: /e2e sweep best \(#\d+\) on all windows/ })).toBeVisible();
});
