import { apiAs } from "./support/api";
import { accounts } from "./support/env";
import { expect, screenshot, signIn, test } from "./support/fixtures";
import { expectRunMoving, numberAttribute } from "./support/pages";

test.describe.configure({ timeout: 300_000 });

/**
 * The user journey in one go: sign in through the form, start a
 * training from the form on the S&P 500 data and watch it move, cancel
 * another run, compare two finished runs, and see that a viewer cannot cancel.
 */
test("sign in, start from the form, watch it, cancel another run, compare two finished ones; viewers cannot cancel", async ({
  page,
  browser,
}) => {
  const api = await apiAs("operator");
  const baseline = await api.training.start.mutate({
    name: "journey baseline",
    tags: ["journey"],
    spec: { data: { dataset: "sp500", target: "spx_close" }, train: { epochs: 2 }, retrodiction: { windows: 2, batchSizeDays: 30 } },
  });
  const long = await api.training.start.mutate({
    name: "journey long",
    tags: ["journey-long"],
    spec: { data: { dataset: "sp500", target: "spx_close" }, train: { epochs: 200, batchSize: 8, patience: 0 } },
  });

  await page.goto("/login");
  await page.getByLabel("Email").fill(accounts.operator.email);
  await page.getByLabel("Password").fill(accounts.operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/runs$/);

  await page.goto("/new");
  await page.getByLabel("Dataset", { exact: true }).selectOption("sp500");
  await page.getByLabel("Target column", { exact: true }).selectOption("spx_close");
  await page.getByLabel("Epochs", { exact: true }).fill("12");
  await page.getByLabel("Batch size", { exact: true }).fill("16");
  await page.getByLabel("Windows", { exact: true }).fill("2");
  await page.getByLabel("Window length (days)", { exact: true }).fill("30");
  await page.getByLabel("Name", { exact: true }).fill("journey from the form");
  await page.getByLabel("Tags", { exact: true }).fill("journey");
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const formRun = page.url().split("/").at(-1) as string;

  await expect(page.getByTestId("progress-message")).toHaveText(/Epoch \d+\/12 · Batch \d+\/\d+/, { timeout: 90_000 });
  await expectRunMoving(page, 60_000);
  await screenshot(page, "journey-watching");

  await page.goto(`/runs/${long.id}`);
  await expect(page.getByTestId("progress-message")).toHaveText(/Epoch/, { timeout: 90_000 });
  await page.getByRole("button", { name: "Cancel run" }).click();
  await page.getByRole("dialog", { name: "Cancel this run?" }).getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-status").first()).toHaveText("CANCELLED", { timeout: 30_000 });

  for (const id of [baseline.id, formRun]) {
    await expect.poll(async () => (await api.training.get.query({ id })).status, { timeout: 180_000 }).toBe("SUCCEEDED");
  }
  await page.goto("/runs?tags=journey&status=SUCCEEDED");
  await page.getByRole("checkbox", { name: "Select journey baseline" }).check();
  await page.getByRole("checkbox", { name: "Select journey from the form" }).check();
  await page.getByRole("link", { name: "Compare (2)" }).click();
  await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  await expect
    .poll(() => numberAttribute(page.getByTestId("compare-chart-train_loss"), "data-points"), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await screenshot(page, "journey-compare");

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, "viewer");
  await viewer.goto(`/runs/${formRun}`);
  await expect(viewer.getByRole("heading", { name: /journey from the form/ })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Retry run" })).toHaveCount(0);
  await viewerContext.close();
});
