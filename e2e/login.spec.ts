import { accounts } from "./support/env";
import { expect, screenshot, test } from "./support/fixtures";

test("signing in through the form lands on Runs; a wrong password says so", async ({ page }) => {
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/login\?next=%2Fruns/);
  await page.getByLabel("Email").fill(accounts.admin.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".banner-error")).toHaveText("Wrong email or password");
  await screenshot(page, "login");
  await page.getByLabel("Password").fill(accounts.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByTestId("current-user")).toContainText("admin@hindcast.local (admin)");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/login/);
});

test("after signing in, next= only leads to pages of this site", async ({ page, baseURL }) => {
  const origin = new URL(baseURL as string).origin;
  for (const [next, landing] of [
    ["/\\evil.example/pwned", "/runs"],
    ["//evil.example/pwned", "/runs"],
    ["https://evil.example/pwned", "/runs"],
    ["/datasets?x=1", "/datasets?x=1"],
  ] as const) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Email").fill(accounts.admin.email);
    await page.getByLabel("Password").fill(accounts.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${origin}${landing}`);
  }
});
