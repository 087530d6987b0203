import { readFile } from "node:fs/promises";
import { quickSpec } from "@hindcast/test-support/specs";
import type { Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { apiAs } from "./support/api";
import { expect, screenshot, signIn, test } from "./support/fixtures";

/** Clicks a choice of the runs table's Export CSV menu and reads the file the browser saved, as a spreadsheet would. */
async function exportCsv(page: Page, choice: "Columns in view" | "All columns") {
  await page.getByText("Export CSV").click();
  const saved = page.waitForEvent("download");
  await page.getByRole("link", { name: choice }).click();
  const download = await saved;
  expect(download.suggestedFilename()).toBe("runs.csv");
  const [header, ...rows] = parse(await readFile(await download.path(), "utf8")) as string[][];
  return { header: header as string[], rows };
}

test("runs table: export the filtered runs as CSV and open the file", async ({ page }) => {
  const api = await apiAs("operator");
  const tag = `export-${Date.now()}`;
  const name = `${tag}, "quoted" = not a formula`;
  const { id } = await api.training.start.mutate({ name, spec: quickSpec, tags: [tag] });
  try {
    await signIn(page, "viewer");
    await page.goto(`/runs?tags=${tag}&pcol=train.epochs`);
    await expect(page.locator(`tr[data-run-id="${id}"]`)).toBeVisible();

    const inView = await exportCsv(page, "Columns in view");
    expect(inView.header.slice(0, 4)).toEqual(["id", "name", "status", "progress_percent"]);
    expect(inView.header).toEqual(expect.arrayContaining(["model.kind", "data.dataset", "data.target", "created", "tags", "train.epochs"]));
    expect(inView.rows).toHaveLength(1);
    const row = inView.rows[0] as string[];
    expect(row.slice(0, 2)).toEqual([id, name]);
    expect(row[inView.header.indexOf("data.dataset")]).toBe(quickSpec.data.dataset);
    expect(row[inView.header.indexOf("train.epochs")]).toBe(String(quickSpec.train.epochs));
    expect(row[inView.header.indexOf("tags")]).toBe(tag);

    const all = await exportCsv(page, "All columns");
    expect(all.header).toEqual(expect.arrayContaining(["pipeline", "experiment", "finished", "train.learningRate", "window.lookback"]));
    expect(all.rows.map((r) => r[0])).toEqual([id]);

    await page.getByText("Export CSV").click();
    await screenshot(page, "export-menu");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "export-menu-dark");
  } finally {
    await api.training.cancel.mutate({ id }).catch(() => {});
  }
});
