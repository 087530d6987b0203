import { quickSpec } from "@hindcast/test-support/specs";
import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { expect, screenshot, screenshotOf, signIn, test } from "./support/fixtures";
import { themes } from "./support/pages";
import { waitForStatus } from "./support/runs";

const row = (page: Page, id: string) => page.locator(`tr[data-run-id="${id}"]`);

test.describe.configure({ timeout: 120_000 });

test("a run archived from the table leaves it, shows again with Show archived, is restored, then deleted from its page with what it frees", async ({
  page,
}) => {
  const admin = await apiAs("admin");
  const tag = `tidy-${Date.now()}`;
  const { id } = await admin.training.start.mutate({ name: `${tag} run`, spec: quickSpec, tags: [tag] });
  const finished = await waitForStatus(admin, id, "SUCCEEDED");
  const artifacts = await admin.runs.artifacts.query({ id });
  expect(artifacts.length).toBeGreaterThan(0);

  await signIn(page, "admin");
  await page.goto(`/runs?tags=${tag}`);
  await expect(row(page, id)).toBeVisible();

  // Archive the selected run: it leaves the list.
  await row(page, id).getByRole("checkbox").check();
  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await expect(bulk.getByLabel("Act on")).toHaveValue("selected");
  await bulk.getByRole("button", { name: "Archive…" }).click();
  const archiveDialog = page.getByRole("dialog", { name: "Archive 1 run?" });
  await archiveDialog.getByRole("button", { name: "Archive" }).click();
  await expect(bulk.getByTestId("bulk-report")).toHaveText("Archived 1 run.");
  await expect(row(page, id)).toHaveCount(0);
  await expect(page.getByText("No runs match these filters.")).toBeVisible();

  // Show archived: in the URL, the run marked as archived.
  await page.getByLabel("Show archived").selectOption("only");
  await expect(page).toHaveURL(/archived=only/);
  await expect(row(page, id).getByText("archived", { exact: true })).toBeVisible();
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `runs-archived-${theme}`);
  }
  await page.emulateMedia({ colorScheme: "light" });

  // Restore every run the filter matches (the one archived run).
  await expect(bulk.getByLabel("Act on")).toHaveValue("filter");
  await bulk.getByRole("button", { name: "Restore…" }).click();
  await page.getByRole("dialog", { name: "Restore 1 run?" }).getByRole("button", { name: "Restore" }).click();
  await expect(row(page, id)).toHaveCount(0);
  await page.getByLabel("Show archived").selectOption("hide");
  await expect(page).not.toHaveURL(/archived=/);
  await expect(row(page, id)).toBeVisible();
  await expect(row(page, id).getByText("archived", { exact: true })).toHaveCount(0);

  // On its page: a note, then Delete with a confirmation that says what it frees.
  await row(page, id)
    .getByRole("link", { name: `${tag} run` })
    .click();
  await page.getByLabel("Note").fill("Baseline for the tidy-up: keep until the next sweep.");
  await page.getByRole("button", { name: "Save note" }).click();
  const header = page.locator("header").first();
  await expect(header.getByText("Saved", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await expect(page.getByTestId("run-archived")).toBeVisible();
  await expect(page.getByRole("button", { name: "Restore", exact: true })).toBeVisible();
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshotOf(header, `run-header-${theme}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByRole("button", { name: "Delete…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete for good?" });
  const points = finished.metrics.reduce((sum, metric) => sum + metric.count, 0);
  await expect(dialog.getByTestId("delete-summary")).toHaveText(
    new RegExp(
      `^Delete 1 run: frees ${points.toLocaleString("en")} metric points?, [\\d,]+ log lines? and [\\d.]+ (B|KiB|MiB) of artifacts \\(${artifacts.length} files?(, \\d+ checkpoints?)?\\)\\.$`,
    ),
  );
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshotOf(dialog, `delete-dialog-${theme}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await dialog.getByRole("button", { name: "Delete 1 run" }).click();
  await expect(page).toHaveURL(/\/runs$/);

  // Gone at once for everyone; a worker then purges its rows and artifacts.
  await expect(admin.training.get.query({ id })).rejects.toThrow(/was deleted|does not exist/);
  await expect.poll(() => admin.training.get.query({ id }).catch((error: Error) => error.message)).toMatch(/does not exist/);
  for (const artifact of artifacts) expect((await page.request.get(artifact.url)).status()).toBe(404);
});
