import { axeViolations, describeViolations, isSerious } from "./support/axe";
import { contrastRatio, panelBackground } from "./support/contrast";
import { expect, signIn, test } from "./support/fixtures";
import { type FocusStop, tabThrough } from "./support/keyboard";
import { openTourPage, type TourRuns, themes, tourPages } from "./support/pages";
import { finishedPair, startTourSweep } from "./support/runs";

test.describe.configure({ timeout: 300_000 });

let runs: TourRuns;
test.beforeAll(async () => {
  const tag = `a11y-${Date.now()}`;
  const sweep = startTourSweep(tag);
  runs = { tag, ids: await finishedPair(tag), sweep: await sweep };
});

for (const target of tourPages) {
  test(`axe-core finds nothing serious on ${target.name}, in both themes`, async ({ page }) => {
    for (const theme of themes) {
      await openTourPage(page, target, runs, theme);
      const violations = await axeViolations(page);
      const serious = violations.filter(isSerious);
      console.log(`axe ${target.name}/${theme}: ${violations.length} violations, ${serious.length} serious or critical`);
      if (violations.length) console.log(describeViolations(violations));
      expect.soft(describeViolations(serious), `${target.name} (${theme})`).toBe("");
    }
  });
}

const hidden = (stops: FocusStop[]) => stops.filter((stop) => !stop.inView || stop.coveredBy);

test("keyboard: every focus stop on /runs is in view and on top", async ({ page }) => {
  await signIn(page, "admin");
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto("/runs");
  await expect(page.locator("tr[data-run-id]").first()).toBeVisible();
  const forwards = await tabThrough(page);
  expect(
    forwards.some((stop) => /^input.*"Select /.test(stop.element)),
    "tabbing reaches the table",
  ).toBe(true);
  expect(hidden(forwards)).toEqual([]);
  const backwards = await tabThrough(page, { backwards: true });
  expect(hidden(backwards)).toEqual([]);
});

test("keyboard on /new: focus never hides under the sticky toolbar, and tabbing past empty fields marks none of them", async ({ page }) => {
  await signIn(page, "operator");
  // Short enough that the form scrolls under its toolbar.
  await page.setViewportSize({ width: 1400, height: 600 });
  await page.goto("/new");
  await expect(page.getByLabel("Dataset", { exact: true }).locator("option")).not.toHaveCount(1);
  const forwards = await tabThrough(page);
  expect(forwards.length).toBeGreaterThan(20);
  expect(hidden(forwards)).toEqual([]);
  // Back up from the bottom: each field scrolls into view below the toolbar, not under it.
  const backwards = await tabThrough(page, { backwards: true, until: /"Start training"/ });
  expect(backwards.some((stop) => stop.element.startsWith("select#field-spec-data-dataset"))).toBe(true);
  expect(hidden(backwards)).toEqual([]);

  // Nothing was typed and nothing submitted: no field is marked although Dataset and Target are empty and required.
  await expect(page.locator(".field-error")).toHaveCount(0);
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  // A changed field is judged when it is left; the untouched required ones still wait for a submit.
  await page.getByLabel("Epochs", { exact: true }).fill("0");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Epochs", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Dataset", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(page.getByLabel("Dataset", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Target column", { exact: true })).toHaveAttribute("aria-invalid", "true");
});

test("the focus ring stands out (3:1) against the page and the panels in both themes", async ({ page }) => {
  await signIn(page, "operator");
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto("/new");
    const button = page.getByRole("button", { name: "Start training" });
    const field = page.getByLabel("Epochs", { exact: true });
    await button.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await expect(button).toBeFocused();
    const ring = await button.evaluate((element) => ({
      keyboard: element.matches(":focus-visible"),
      style: getComputedStyle(element).outlineStyle,
      color: getComputedStyle(element).outlineColor,
    }));
    expect(ring).toMatchObject({ keyboard: true, style: "solid" });
    const pageColor = await button.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const panelColor = await panelBackground(field);
    for (const [against, color] of [
      ["page", pageColor],
      ["panel", panelColor],
    ] as const) {
      expect(contrastRatio(ring.color, color), `${theme}: focus ring ${ring.color} against the ${against} ${color}`).toBeGreaterThanOrEqual(
        3,
      );
    }
  }
});

test("filled buttons (primary, danger) keep their white text at 4.5:1 in both themes", async ({ page }) => {
  await signIn(page, "operator");
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto("/runs");
    // A danger button shows only while a run is active: both kinds are drawn here from the page's own stylesheet.
    const colours = await page.evaluate(() =>
      ["primary", "danger"].map((kind) => {
        const button = document.createElement("button");
        button.className = kind;
        button.textContent = kind;
        document.querySelector("main")?.append(button);
        const style = getComputedStyle(button);
        const colour = { kind, text: style.color, background: style.backgroundColor };
        button.remove();
        return colour;
      }),
    );
    for (const { kind, text, background } of colours) {
      expect(contrastRatio(text, background), `${theme} ${kind}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  }
});
