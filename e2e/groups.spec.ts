import { quickSpec } from "@hindcast/test-support/specs";
import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { expect, screenshot, signIn, test } from "./support/fixtures";
import { waitForStatus } from "./support/runs";

/** Two model families, two seeds each: finishes in seconds on the e2e stack's workers. */
const small = { ...quickSpec, train: { ...quickSpec.train, epochs: 2, minSteps: 0 }, retrodiction: { windows: 1, batchSizeDays: 30 } };
const families = [
  { name: "linear", spec: { ...small, model: { kind: "linear" as const } } },
  { name: "mlp", spec: { ...small, model: { kind: "mlp" as const, hidden: [8] } } },
];

const groupRow = (page: Page, value: string) => page.getByTestId("run-groups").locator(`tr[data-group='${JSON.stringify(value)}']`);

test.describe.configure({ timeout: 180_000 });

test("groups runs by model.kind with each group's mean and spread, charts a group's band and members, and starts a seed list from the form", async ({
  page,
}) => {
  const api = await apiAs("operator");
  const tag = `groups-${Date.now()}`;
  const started = await Promise.all(
    families.map(({ name, spec }) =>
      api.training.start.mutate({ name: `${tag} ${name}`, spec: { ...spec, train: { ...spec.train, seed: [1, 2] } }, tags: [tag] }),
    ),
  );
  for (const run of started) expect(run.ids).toHaveLength(2);
  for (const id of started.flatMap((run) => run.ids)) await waitForStatus(api, id, "SUCCEEDED");

  await signIn(page, "operator");
  await page.goto(`/runs?tags=${tag}`);
  await page.getByLabel("Group by").selectOption({ label: "model.kind" });
  await expect(page).toHaveURL(/groupBy=param%3Amodel\.kind/);
  const groups = page.getByTestId("run-groups");
  for (const kind of ["linear", "mlp"]) {
    await expect(groupRow(page, kind).locator('td[data-column="count"]')).toHaveText("2");
    // Mean ± std over the two runs, then min – max and the best.
    await expect(groupRow(page, kind).locator('td[data-column="headline:skill_vs_naive"]')).toHaveText(/%.* ± .*%.*–.*best/);
    await expect(groupRow(page, kind).locator('td[data-column="metric:val_loss:last"]')).toHaveText(/\d ± \d.*–/);
  }
  await expect(groups.locator("tbody > tr[data-group]")).toHaveCount(2);

  // A group opens to its runs and a chart of their mean with a band; its members' lines on request.
  await groupRow(page, "mlp").getByRole("button", { name: "mlp" }).click();
  const chart = groups.getByTestId("group-metric-chart");
  await expect(chart).toHaveAttribute("data-bands", "1");
  await expect(chart).toHaveAttribute("aria-label", /mean \+ std, mean − std, mean$/);
  await groups.getByLabel("Show members").check();
  for (const seed of [1, 2]) await expect(chart).toHaveAttribute("aria-label", new RegExp(`${tag} mlp seed ${seed}, `));
  await groups.getByLabel("Band").selectOption("range");
  await expect(chart).toHaveAttribute("aria-label", /max, min, mean$/);
  await expect(groups.locator("tr[data-run-id]")).toHaveCount(2);
  await screenshot(page, "groups");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "groups-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // "1, 2" in the form's seed field starts a run per seed and shows their group.
  await page.goto("/new");
  await page.getByLabel("Dataset", { exact: true }).selectOption("seattle_weather");
  await page.getByLabel("Target column", { exact: true }).selectOption("temp_max");
  await page.getByLabel("Name", { exact: true }).fill(`${tag} form`);
  await page.getByLabel("Seed", { exact: true }).fill("1, 2");
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(page).toHaveURL(/\/runs\?groupBy=runGroup&group=/);
  const formGroup = page.getByTestId("run-groups").locator("tbody > tr[data-group]");
  await expect(formGroup).toHaveCount(1);
  await expect(formGroup).toContainText(`${tag} form seeds`);
  const members = page.getByTestId("run-groups").locator("tr[data-run-id]");
  await expect(members).toHaveCount(2);
  const ids = await members.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run-id")));
  for (const id of ids) await api.training.cancel.mutate({ id: id as string });
});
