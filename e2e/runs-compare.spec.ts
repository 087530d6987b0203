import { randomUUID } from "node:crypto";
import { longSpec, quickSpec as quick } from "@hindcast/test-support/specs";
import type { Locator, Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { expect, screenshot, signIn, test } from "./support/fixtures";
import { waitForStatus } from "./support/runs";

/**
 * Finishes in seconds; `epochs` and `seed` differ between the runs so the comparison has differing params
 * (with one seed the shorter run's epochs are the longer run's first ones, and their best val_loss can tie).
 */
const quickSpec = (epochs: number) => ({ ...quick, train: { ...quick.train, epochs, seed: epochs } });
/** Trains long enough to be seen RUNNING with a progress bar, then cancelled. */
const cancelledSpec = longSpec(40, { batchSize: 16 });

const rows = (page: Page) => page.getByTestId("runs-table").locator("tbody tr[data-run-id]");
const row = (page: Page, id: string) => page.locator(`tr[data-run-id="${id}"]`);
const rowIds = async (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run-id")));
const number = async (locator: Locator, attribute: string) => Number(await locator.getAttribute(attribute));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test.describe.configure({ timeout: 300_000 });

test("runs table: live status, filters and sort in the URL, columns, and comparing two finished runs", async ({ page, browser }) => {
  const api = await apiAs("operator");
  const tag = `h1-${Date.now()}`;
  const a = (await api.training.start.mutate({ name: `${tag} a`, spec: quickSpec(2), tags: [tag, "quick"] })).id;
  const b = (await api.training.start.mutate({ name: `${tag} b`, spec: quickSpec(4), tags: [tag, "quick"] })).id;
  const c = (await api.training.start.mutate({ name: `${tag} c`, spec: cancelledSpec, tags: [tag, "long"] })).id;
  const [runA, runB] = [await waitForStatus(api, a, "SUCCEEDED"), await waitForStatus(api, b, "SUCCEEDED")];

  await signIn(page, "viewer");
  await page.goto("/runs");
  await page.getByLabel("Tags").fill(tag);
  await page.getByLabel("Tags").press("Enter");
  await expect(page).toHaveURL(new RegExp(`tags=${tag}`));
  await expect(rows(page)).toHaveCount(3);
  await expect(row(page, a).getByTestId("run-status")).toHaveText("SUCCEEDED");
  await expect(row(page, b).getByTestId("run-status")).toHaveText("SUCCEEDED");
  // Live without a reload: the long run starts once a worker is free, then shows its progress.
  await expect(row(page, c).getByTestId("run-status")).toHaveText("RUNNING", { timeout: 120_000 });
  await expect(row(page, c).getByRole("progressbar")).toBeVisible();
  // A trend column from a link: the running run's sparkline grows as it trains.
  await page.goto(`${page.url()}&mcol=val_loss&trend=train_loss`);
  const lastStep = async () => {
    const label = await row(page, c).locator('td[data-column="trend:train_loss"]').getByTestId("sparkline").getAttribute("aria-label");
    return Number(label?.match(/over steps \d+–(\d+)$/)?.[1] ?? 0);
  };
  await expect.poll(lastStep, { timeout: 30_000 }).toBeGreaterThan(0);
  const seen = await lastStep();
  await expect.poll(lastStep, { timeout: 30_000 }).toBeGreaterThan(seen);
  await screenshot(page, "runs");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "runs-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await api.training.cancel.mutate({ id: c });
  await expect(row(page, c).getByTestId("run-status")).toHaveText("CANCELLED", { timeout: 30_000 });

  // Status filter through the UI: in the URL, and still there after a reload.
  await page.getByRole("checkbox", { name: "SUCCEEDED", exact: true }).check();
  await expect(page).toHaveURL(/status=SUCCEEDED/);
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, c)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "SUCCEEDED", exact: true })).toBeChecked();
  await expect(page.getByLabel("Tags")).toHaveValue(tag);
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, c)).toHaveCount(0);

  // Sorting by the best val_loss (lower is better: ascending first), then the other way.
  const bestRmse = (run: typeof runA) => (run.resultSummary as { overall: { rmse: number } }).overall.rmse;
  const bestLoss = (run: typeof runA) => run.metrics.find((m: { key: string }) => m.key === "val_loss")?.min as number;
  // Ties are broken by id in the sort's direction, as the server does.
  const ascending = [runA, runB].sort((x, y) => bestLoss(x) - bestLoss(y) || (x.id < y.id ? -1 : 1)).map((run) => run.id);
  await page.getByRole("button", { name: "val_loss (best)" }).click();
  await expect(page).toHaveURL(/sort=metric&metric=val_loss&stat=min&dir=asc/);
  await expect.poll(() => rowIds(page)).toEqual(ascending);
  await expect(page.getByRole("columnheader", { name: /val_loss \(best\)/ })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("button", { name: "val_loss (best)" }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect.poll(() => rowIds(page)).toEqual([...ascending].reverse());
  await page.goBack();
  await expect.poll(() => rowIds(page)).toEqual(ascending);

  // Skill against the naive forecast, signed, and sortable best first.
  const skill = (run: typeof runA) => (run.resultSummary as { overall: { skill: { rmseVsNaive: number } } }).overall.skill.rmseVsNaive;
  await expect(row(page, a).locator('td[data-column="headline:skill_vs_naive"] span')).toHaveText(/^[+−]?\d+\.\d%$/);
  await expect(row(page, a).locator('td[data-column="headline:skill_vs_naive"] span')).toHaveAttribute("title", /^RMSE \S+ vs naive \S+$/);
  const beat = [runA, runB].filter((run) => skill(run) > 0).length;
  await expect(page.getByTestId("runs-verdict")).toContainText(`${beat} of 2 with a retrodiction beat the naive forecast`);
  await page.getByRole("button", { name: "Skill vs naive" }).click();
  await expect(page).toHaveURL(/sort=skill&dir=desc/);
  await expect.poll(() => rowIds(page)).toEqual([runA, runB].sort((x, y) => skill(y) - skill(x)).map((run) => run.id));
  await page.goBack();

  // Skill against each run's best classical baseline, named in the tooltip; the headline count is against it.
  type Verdict = { bestLabel: string; skillVsBest: number; beatsAll: boolean };
  const verdict = (run: typeof runA) => (run.resultSummary as { verdict: Verdict }).verdict;
  const bestCell = row(page, a).locator('td[data-column="headline:skill_vs_best"] span');
  await expect(bestCell).toHaveText(/^[+−]?\d+\.\d%$/);
  expect(await bestCell.getAttribute("title")).toMatch(
    new RegExp(`^best baseline: ${escapeRegExp(verdict(runA).bestLabel)} \\(RMSE \\S+ vs \\S+\\)$`),
  );
  const beatBest = [runA, runB].filter((run) => verdict(run).beatsAll).length;
  await expect(page.getByTestId("runs-verdict")).toContainText(`${beatBest} of 2 with a verdict beat their best classical baseline`);
  await page.getByRole("button", { name: "Skill vs best baseline" }).click();
  await expect(page).toHaveURL(/sort=best&dir=desc/);
  const byBest = [runA, runB].sort((x, y) => verdict(y).skillVsBest - verdict(x).skillVsBest).map((run) => run.id);
  await expect.poll(() => rowIds(page)).toEqual(byBest);
  await page.getByRole("button", { name: "Skill vs best baseline" }).click();
  await expect(page).toHaveURL(/sort=best&dir=asc/);
  await expect.poll(() => rowIds(page)).toEqual([...byBest].reverse());
  await page.goBack();
  await page.goBack();

  // A param column from the chooser, kept across reloads.
  await page.getByRole("button", { name: "Columns…" }).click();
  const chooser = page.getByRole("dialog", { name: "Columns" });
  await chooser.getByLabel("Filter keys").fill("train.epochs");
  await chooser.getByRole("checkbox", { name: "train.epochs" }).check();
  // A trend column: each run's val_loss as a sparkline.
  await chooser.getByLabel("Sparkline of").selectOption("val_loss");
  await chooser.getByRole("button", { name: "Done" }).click();
  await expect(chooser).toBeHidden();
  await expect(page).toHaveURL(/[?&]pcol=train\.epochs/);
  await expect(page).toHaveURL(/[?&]trend=val_loss/);
  const sparkline = (id: string) => row(page, id).locator('td[data-column="trend:val_loss"]').getByTestId("sparkline");
  await expect.poll(() => number(sparkline(b), "data-points")).toBe(runB.metrics.find((m: { key: string }) => m.key === "val_loss")?.count);
  await expect(sparkline(a)).toHaveAttribute("aria-label", /^val_loss from .* to .* over steps \d+–\d+$/);
  await page.reload();
  await expect(row(page, a).locator('td[data-column="param:train.epochs"]')).toHaveText("2");
  await expect(row(page, b).locator('td[data-column="param:train.epochs"]')).toHaveText("4");
  await expect(sparkline(a)).toBeVisible();
  // The columns travel with the link: a colleague without saved columns sees the same table.
  const colleague = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const shared = await colleague.newPage();
  await signIn(shared, "viewer");
  await shared.goto(page.url());
  await expect(row(shared, a).locator('td[data-column="param:train.epochs"]')).toHaveText("2");
  await expect(row(shared, a).locator('td[data-column="trend:val_loss"]').getByTestId("sparkline")).toBeVisible();
  await colleague.close();
  // A plain link shows this user's last columns, and puts them into the URL.
  await page.goto(`/runs?tags=${tag}&status=SUCCEEDED`);
  await expect(page).toHaveURL(/[?&]trend=val_loss/);
  await expect(sparkline(b)).toBeVisible();
  await screenshot(page, "runs-trend");

  // Keyboard: arrows move between rows, x selects.
  const first = rows(page).first();
  await first.getByRole("link").focus();
  await page.keyboard.press("x");
  await page.keyboard.press("ArrowDown");
  await expect(rows(page).nth(1).getByRole("link")).toBeFocused();
  await page.keyboard.press("x");
  await expect(page.getByRole("checkbox", { name: `Select ${tag} a` })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: `Select ${tag} b` })).toBeChecked();
  await page.getByRole("link", { name: "Compare (2)" }).click();
  await expect(page).toHaveURL(/\/compare\?ids=/);
  expect(new URL(page.url()).searchParams.get("ids")?.split(",").sort()).toEqual([a, b].sort());

  await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  await expect(page.locator("tr.differs", { hasText: "train.epochs" })).toBeVisible();
  await expect(page.locator("tr.differs", { hasText: "train.seed" })).toBeVisible();
  await expect(page.locator("tr.differs")).toHaveCount(2);
  const chart = page.getByTestId("compare-chart-train_loss");
  await expect.poll(() => number(chart, "data-points")).toBeGreaterThan(0);
  await expect(chart.locator(".u-legend .u-series")).toHaveCount(3); // the x axis and one series per run
  await expect(chart.locator(".u-legend")).toContainText(`${tag} a`);
  await expect(chart.locator(".u-legend")).toContainText(`${tag} b`);
  const metrics = page.getByTestId("metrics-table");
  await expect(metrics.locator('tr[data-row="val_loss:best"] td[data-best]')).toHaveCount(1);
  await expect(metrics.locator('tr[data-row="headline:rmse"]')).toBeVisible();
  await expect(metrics.locator('tr[data-row="headline:skill_vs_best"] td.num')).toHaveText([/^[+−]?\d+\.\d%/, /^[+−]?\d+\.\d%/]);
  const bestLabels = await metrics.locator('tr[data-row="headline:best_baseline"] td.num').allInnerTexts();
  expect(bestLabels.sort()).toEqual([runA, runB].map((run) => verdict(run).bestLabel).sort());
  // Both runs trained with the same learning rate: a tie singles out no run.
  await expect(metrics.locator('tr[data-row="lr:last"] td[data-best]')).toHaveCount(0);
  await expect(page.getByTestId("param-scatter")).toHaveAttribute("data-points", "2");
  // Parallel coordinates: the two differing params and the result, one line per run, the lower RMSE picked out.
  const parallel = page.getByTestId("param-parallel");
  await expect(parallel).toHaveAttribute("data-axes", "3");
  await expect(parallel.locator("g[data-run-id] path")).toHaveCount(2);
  for (const d of await parallel.locator("g[data-run-id] path").evaluateAll((paths) => paths.map((p) => p.getAttribute("d")))) {
    expect(d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){2}$/);
  }
  const lowerRmse = [runA, runB].sort((x, y) => bestRmse(x) - bestRmse(y))[0]?.id;
  await expect(parallel.locator("g[data-best]")).toHaveAttribute("data-run-id", lowerRmse as string);
  await page.getByLabel("Log scale").check();
  await page.getByLabel("X axis").selectOption("relative");
  await expect.poll(() => number(chart, "data-points")).toBeGreaterThan(0);
  // The chart view is in the URL: a reload (or a shared link) shows the same charts.
  await page.getByRole("checkbox", { name: "val_loss", exact: true }).uncheck();
  await expect(page).toHaveURL(/[?&]x=relative/);
  await expect(page).toHaveURL(/[?&]log=1/);
  await expect(page).toHaveURL(/[?&]charts=train_loss(&|$)/);
  await page.reload();
  await expect(page.getByLabel("X axis")).toHaveValue("relative");
  await expect(page.getByLabel("Log scale")).toBeChecked();
  await expect(page.getByTestId("compare-chart-val_loss")).toHaveCount(0);
  await expect.poll(() => number(chart, "data-points")).toBeGreaterThan(0);
  await screenshot(page, "compare");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "compare-dark");
});

test("compare explains bad links instead of failing", async ({ page }) => {
  await signIn(page, "viewer");
  const api = await apiAs("viewer");
  const someRun = (await api.training.list.query({ limit: 1 })).runs[0]?.id ?? randomUUID();
  const cases: [string, RegExp][] = [
    ["/compare", /choose at least 2 runs \(got 0\)/],
    [`/compare?ids=${someRun}`, /choose at least 2 runs \(got 1\)/],
    [`/compare?ids=${someRun},not-a-run`, /"not-a-run" is not a run id/],
    [`/compare?ids=${someRun},${randomUUID()}`, /No run [0-9a-f-]{36}/],
  ];
  for (const [url, message] of cases) {
    await page.goto(url);
    await expect(page.getByTestId("compare-error")).toHaveText(message);
  }
  await expect(page.getByRole("link", { name: "Runs" }).last()).toHaveAttribute("href", "/runs");
  await page.goto("/runs?status=BOGUS&from=2024-02-30");
  await expect(page.getByText(/This link's filters are not valid/)).toBeVisible();
  await expect(page.getByLabel("Created from")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText('"2024-02-30": use a real date as YYYY-MM-DD')).toBeVisible();
  await screenshot(page, "runs-bad-link");

  // Every bad field of the form is marked at once, and the URL keeps the last good view.
  await page.goto("/runs?status=FAILED");
  await page.getByLabel("Tags").fill("ok, not a tag!");
  await page.getByLabel("Params").fill("model.kind=linear, nonsense");
  await page.getByLabel("Created from").fill("2024-03-10");
  await page.getByLabel("Created to").fill("2024-03-01");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/"not a tag!": use letters, digits/)).toBeVisible();
  await expect(page.getByText(/"nonsense": use key=value/)).toBeVisible();
  await expect(page.getByText("must not be before the from date")).toBeVisible();
  await expect(page).toHaveURL(/\/runs\?status=FAILED$/);
});

test("compare stars no run for a metric without a better direction, and names runs scored on different windows", async ({ page }) => {
  const api = await apiAs("operator");
  const tag = `dir-${Date.now()}`;
  // Different learning rates (a metric with no better direction) and different retrodiction windows.
  const spec = (learningRate: number, windows: number) => ({
    data: { dataset: "seattle_weather", target: "temp_max" },
    train: { epochs: 1, refitEpochs: 1, learningRate, seed: windows },
    retrodiction: { windows, batchSizeDays: 30 },
  });
  const two = (await api.training.start.mutate({ name: `${tag} two`, spec: spec(0.001, 2), tags: [tag] })).id;
  const one = (await api.training.start.mutate({ name: `${tag} one`, spec: spec(0.003, 1), tags: [tag] })).id;
  await waitForStatus(api, two, "SUCCEEDED");
  await waitForStatus(api, one, "SUCCEEDED");

  await signIn(page, "viewer");
  await page.goto(`/compare?ids=${two},${one}`);
  const metrics = page.getByTestId("metrics-table");
  // The runs' last learning rates differ (each decays from its own start), yet neither is better.
  const rates = metrics.locator('tr[data-row="lr:last"] td.num');
  await expect(rates).toHaveCount(2);
  const [rateTwo, rateOne] = await rates.allInnerTexts();
  expect(rateTwo).not.toBe(rateOne);
  await expect(metrics.locator('tr[data-row="lr:last"] td[data-best]')).toHaveCount(0);
  await expect(metrics.locator('tr[data-row="lr:best"]')).toHaveCount(0);
  await expect(metrics.locator('tr[data-row="lr:last"] td').first()).toHaveText("—");
  await expect(metrics.locator('tr[data-row="val_loss:best"] td[data-best]')).toHaveCount(1);
  await expect(metrics.locator('tr[data-row="val_loss:best"] td').first()).toHaveText("lower");

  const warning = page.getByTestId("window-mismatch");
  await expect(warning).toContainText("These runs were scored on different retrodiction windows");
  await expect(warning.locator(`li[data-runs="${two}"]`)).toHaveText(
    new RegExp(`^${tag} two · \\S+: 2 windows, \\d{4}-\\d{2}-\\d{2} – \\d{4}-\\d{2}-\\d{2}$`),
  );
  await expect(warning.locator(`li[data-runs="${one}"]`)).toHaveText(
    new RegExp(`^${tag} one · \\S+: 1 window, \\d{4}-\\d{2}-\\d{2} – \\d{4}-\\d{2}-\\d{2}$`),
  );
  await screenshot(page, "compare-different-windows");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "compare-different-windows-dark");
});

test("the runs table writes Created in the browser's locale, and no page load asks for a missing file", async ({ browser }) => {
  const api = await apiAs("operator");
  const tag = `locale-${Date.now()}`;
  // GPU-only with no GPU worker: it stays queued and takes no worker from other tests.
  const { id } = await api.training.start.mutate({
    spec: { data: { dataset: "seattle_weather", target: "temp_max" } },
    tags: [tag],
    requireGpu: true,
  });
  const created = (await api.training.get.query({ id })).createdAt;
  const two = (n: number) => String(n).padStart(2, "0");
  const [year, month, day] = [created.getUTCFullYear() % 100, created.getUTCMonth() + 1, created.getUTCDate()];
  const [hours, minutes, seconds] = [created.getUTCHours(), two(created.getUTCMinutes()), two(created.getUTCSeconds())];
  const expected = {
    "en-US": new RegExp(`^${month}/${day}/${two(year)}, ${hours % 12 || 12}:${minutes}:${seconds}\\s${hours < 12 ? "AM" : "PM"}$`),
    "de-DE": new RegExp(`^${two(day)}\\.${two(month)}\\.${two(year)}, ${two(hours)}:${minutes}:${seconds}$`),
  };
  try {
    for (const [locale, format] of Object.entries(expected)) {
      const context = await browser.newContext({ locale, timezoneId: "UTC", baseURL: test.info().project.use.baseURL });
      const page = await context.newPage();
      const missing: string[] = [];
      const hydration: string[] = [];
      page.on("response", (response) => {
        if (response.status() === 404) missing.push(response.url());
      });
      page.on("console", (message) => {
        if (message.type() === "error" && /hydrat|#418|#423|#425/i.test(message.text())) hydration.push(message.text());
      });
      await signIn(page, "viewer");
      await page.goto(`/runs?tags=${tag}`);
      await expect(row(page, id).locator('td[data-column="created"]'), locale).toHaveText(format);
      // The page has loaded and fetched its rows by now: every request it made has been answered.
      expect(missing, `${locale}: requests answered 404`).toEqual([]);
      expect(hydration, `${locale}: hydration errors`).toEqual([]);
      // The icon every page links to is there, and so is /favicon.ico for clients that ask for it regardless.
      const icons = await page.locator('head link[rel="icon"]').evaluateAll((links) => links.map((link) => link.getAttribute("href")));
      expect(icons.length).toBeGreaterThan(0);
      for (const href of [...icons, "/favicon.ico"]) {
        const response = await page.request.get(href as string);
        expect(response.status(), href as string).toBe(200);
        expect(response.headers()["content-type"], href as string).toMatch(/^image\//);
      }
      await context.close();
    }
  } finally {
    await api.training.cancel.mutate({ id });
  }
});
