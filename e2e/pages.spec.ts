import { contrastRatio, panelBackground } from "./support/contrast";
import { expect, screenshot, test } from "./support/fixtures";
import { overlappingTexts, unreachableHeaders } from "./support/layout";
import { openTourPage, type TourRuns, themes, tourPages } from "./support/pages";
import { finishedPair, startTourSweep } from "./support/runs";

test.describe.configure({ timeout: 300_000 });
test.use({ viewport: { width: 1400, height: 900 } });

/** Pages that draw uPlot charts. */
const chartPages = new Set(["run", "compare", "datasets"]);

let runs: TourRuns;
test.beforeAll(async () => {
  const tag = `pages-${Date.now()}`;
  const sweep = startTourSweep(tag);
  runs = { tag, ids: await finishedPair(tag), sweep: await sweep };
});

for (const target of tourPages) {
  test(`${target.name} at 1400x900: every column header within reach, chart axes readable, screenshots in both themes`, async ({
    page,
  }) => {
    for (const theme of themes) {
      await openTourPage(page, target, runs, theme);
      await screenshot(page, `page-${target.name}-${theme}`);
      expect.soft(await unreachableHeaders(page), `${target.name} (${theme})`).toEqual([]);

      // uPlot draws on a canvas, which takes no CSS: the chart records the axis colour it resolved from the theme.
      const charts = await page.locator("[data-axis-color]").all();
      if (chartPages.has(target.name)) expect(charts.length, `${target.name}: charts drawn`).toBeGreaterThan(0);
      for (const chart of charts) {
        const axis = (await chart.getAttribute("data-axis-color")) as string;
        const panel = await panelBackground(chart);
        expect
          .soft(
            contrastRatio(axis, panel),
            `${target.name} (${theme}): axis ${axis} on ${panel}, ${await chart.getAttribute("aria-label")}`,
          )
          .toBeGreaterThanOrEqual(4.5);
      }
    }
  });
}

test("compare at 1400x900: the parallel-coordinates axis titles never overlap", async ({ page }) => {
  await openTourPage(page, tourPages.find((p) => p.name === "compare") as (typeof tourPages)[number], runs, "light");
  const parallel = page.getByTestId("param-parallel");
  // Eight param axes (the first eight of the nine that differ) and the result.
  await expect(parallel).toHaveAttribute("data-axes", "9");
  const titles = parallel.locator("text[data-axis-title]");
  await expect(titles).toHaveCount(9);
  expect(await overlappingTexts(titles)).toEqual([]);
  // Run names at the result axis stay inside the plot.
  for (const label of await parallel.locator("g[data-run-id] text").all()) expect(await overlappingTexts(label)).toEqual([]);
  // A shortened title keeps the whole name in its tooltip.
  for (const title of await titles.all()) {
    const full = (await title.locator("title").textContent()) as string;
    const shown = ((await title.textContent()) as string).slice(full.length);
    expect(shown === full || (shown.endsWith("…") && full.startsWith(shown.slice(0, -1)))).toBe(true);
  }
});
