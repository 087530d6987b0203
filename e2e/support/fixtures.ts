import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { accounts, type Role } from "./env";

/** Signs the page's browser context in as `role` through the login form's API (sets the session cookie). */
export async function signIn(page: Page, role: Role): Promise<void> {
  const response = await page.request.post("/api/trpc/users.login", {
    data: { json: { ...accounts[role], session: true } },
  });
  expect(response.ok(), await response.text()).toBe(true);
}

/** Saves a full-page screenshot as a test artifact (test-results/e2e/<test>/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: base.info().outputPath(`${name}.png`), fullPage: true });
}

/** Saves a screenshot of one part of the page (test-results/e2e/<test>/<name>.png). */
export async function screenshotOf(locator: Locator, name: string): Promise<void> {
  await locator.screenshot({ path: base.info().outputPath(`${name}.png`) });
}

export const test = base;
export { expect };
