import { rm, writeFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { accounts } from "./support/env";
import { expect, screenshot, signIn, test } from "./support/fixtures";

test.describe.configure({ timeout: 180_000 });

const runCount = async () => (await (await apiAs("admin")).training.list.query({ limit: 500 })).runs.length;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const errorOf = (page: Page, label: string) =>
  field(page, label)
    .getAttribute("id")
    .then((id) => page.locator(`#${id}-error`));

test("new training: every bad field is named at once and nothing starts; a good spec starts and opens the run", async ({ page }) => {
  const before = await runCount();
  await signIn(page, "operator");
  await page.goto("/new");
  await expect(field(page, "Epochs")).toHaveValue("20");

  await field(page, "Epochs").fill("0");
  await field(page, "Learning rate").fill("-0.1");
  await field(page, "Lookback").fill("");
  await page.getByRole("button", { name: "Start training" }).click();

  const expected: [label: string, message: RegExp][] = [
    ["Dataset", /required/],
    ["Target column", /required/],
    ["Epochs", /more than 0/],
    ["Learning rate", /more than 0/],
    ["Lookback", /required/],
  ];
  for (const [label, message] of expected) {
    await expect(field(page, label)).toHaveAttribute("aria-invalid", "true");
    await expect(await errorOf(page, label)).toHaveText(message);
    const describedBy = await field(page, label).getAttribute("aria-describedby");
    expect(describedBy).toContain(`${await field(page, label).getAttribute("id")}-error`);
  }
  const summary = page.getByTestId("form-errors");
  await expect(summary).toContainText("5 fields need attention");
  await expect(summary).toBeFocused();
  await screenshot(page, "new-errors");
  expect(await runCount()).toBe(before);

  // Fixing a field clears its error at once; the rest stay.
  await field(page, "Lookback").fill("8");
  await expect(field(page, "Lookback")).not.toHaveAttribute("aria-invalid", "true");
  await expect(summary).toContainText("4 fields need attention");

  await field(page, "Dataset").selectOption("sp500");
  await expect(field(page, "Dataset").locator("xpath=..")).toContainText("2000-01-03");
  await field(page, "Target column").selectOption("spx_close");
  await page.getByRole("checkbox", { name: "spx_volume" }).check();
  await field(page, "Epochs").fill("2");
  await field(page, "Learning rate").fill("0.01");
  await field(page, "Refit epochs").fill("1");
  await field(page, "Windows").fill("2");
  await field(page, "Window length (days)").fill("30");
  await field(page, "Model family").selectOption("mlp");
  await field(page, "Hidden layers").fill("16, 8");
  await field(page, "Name").fill("e2e forms: sp500 mlp");
  await field(page, "Tags").fill("e2e, forms");
  await expect(summary).toBeHidden();
  await screenshot(page, "new");
  await page.getByRole("button", { name: "Start training" }).click();

  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").at(-1) as string;
  const run = await (await apiAs("operator")).training.get.query({ id });
  expect(run.name).toBe("e2e forms: sp500 mlp");
  expect(run.tags).toEqual(["e2e", "forms"]);
  expect(run.spec).toMatchObject({
    data: { dataset: "sp500", target: "spx_close", features: ["spx_volume"] },
    window: { lookback: 8 },
    model: { kind: "mlp", hidden: [16, 8] },
    train: { epochs: 2, learningRate: 0.01, refitEpochs: 1 },
    retrodiction: { windows: 2, batchSizeDays: 30 },
  });
  expect(await runCount()).toBe(before + 1);

  // ?from=<run> starts from that run's spec.
  await page.goto(`/new?from=${id}`);
  await expect(field(page, "Name")).toHaveValue("e2e forms: sp500 mlp (copy)");
  await expect(field(page, "Model family")).toHaveValue("mlp");
  await expect(field(page, "Hidden layers")).toHaveValue("16, 8");
  await expect(field(page, "Epochs")).toHaveValue("2");
  await expect(page.getByRole("checkbox", { name: "spx_volume" })).toBeChecked();
});

test("new training: the YAML/JSON tab and the form edit the same spec; server errors land on their field", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/new");
  await field(page, "Dataset").selectOption("sp500");
  await field(page, "Lookback").fill("14");

  await page.getByRole("tab", { name: "YAML / JSON" }).click();
  const editor = page.getByLabel("Spec as YAML");
  await expect(editor).toHaveValue(/lookback: 14/);
  await expect(editor).toHaveValue(/dataset: sp500/);
  const yaml = await editor.inputValue();
  // Another family: the whole model block is replaced, since linear's options are no fields of gru.
  const asGru = (text: string) =>
    text.replace(/epochs: 20/, "epochs: 7").replace(/kind: linear\n(\s+\w+: \S+\n)*/, "kind: gru\n  units: 12\n");
  await editor.fill(yaml.replace(/kind: linear\n/, "kind: gru\n"));
  await expect(page.getByTestId("spec-issues")).toContainText('has no field "movingAverage"');
  await editor.fill(asGru(yaml));
  await expect(page.getByText("The spec is valid.")).toBeVisible();
  // A misspelled key is an error naming the field it most likely meant, never ignored.
  await editor.fill(yaml.replace(/epochs: 20/, "epocs: 3"));
  await expect(page.getByTestId("spec-issues")).toContainText('has no field "epocs" (did you mean epochs?)');

  await editor.fill(`${yaml}\n  bad: [`);
  await expect(page.getByTestId("spec-parse-error")).toContainText(/Line \d+, column \d+/);
  await editor.fill(yaml.replace(/epochs: 20/, "epochs: 0").replace(/lookback: 14/, "lookback: -1"));
  await expect(page.getByTestId("spec-issues")).toContainText("train.epochs: must be more than 0");
  await expect(page.getByTestId("spec-issues")).toContainText("window.lookback: must be more than 0");
  await screenshot(page, "new-yaml");
  await editor.fill(asGru(yaml));

  await page.getByRole("radio", { name: "JSON" }).check();
  const json = page.getByLabel("Spec as JSON");
  await expect(json).toHaveValue(/"epochs": 7/);
  expect(JSON.parse(await json.inputValue())).toMatchObject({ model: { kind: "gru", units: 12 }, train: { epochs: 7 } });

  await page.getByRole("tab", { name: "Form" }).click();
  await expect(field(page, "Epochs")).toHaveValue("7");
  await expect(field(page, "Model family")).toHaveValue("gru");
  await expect(field(page, "Units")).toHaveValue("12");
  await expect(field(page, "Lookback")).toHaveValue("14");

  // A column the dataset lacks passes the schema; the server names the field and the form shows it there.
  await page.getByRole("tab", { name: "YAML / JSON" }).click();
  const text = await page.getByLabel("Spec as YAML").inputValue();
  await page.getByLabel("Spec as YAML").fill(text.replace(/target: \w+/, "target: not_a_column"));
  await page.getByRole("tab", { name: "Form" }).click();
  const before = await runCount();
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(await errorOf(page, "Target column")).toContainText('"not_a_column" is not a column of sp500');
  await expect(page.getByTestId("form-errors")).toContainText("The server refused the run");
  expect(await runCount()).toBe(before);
});

test("new training is read-only for viewers", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/new");
  await expect(page.getByText("the form is read-only")).toBeVisible();
  await expect(field(page, "Epochs")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Start training" })).toBeDisabled();
  await page.setViewportSize({ width: 420, height: 900 });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.getByLabel("Epochs", { exact: true })).toBeVisible();
  await screenshot(page, "new-viewer-narrow-dark");
});

test("datasets: a real CSV uploads with its import report, is listed and previewed; bad files are refused clearly", async ({ page }) => {
  const api = await apiAs("operator");
  const sp500 = await api.datasets.preview.query({ name: "sp500", rows: 60 });
  const close = sp500.columns.indexOf("spx_close");
  const volume = sp500.columns.indexOf("spx_volume");
  const lines = sp500.rows.map((row) => `${row.date},${row.values[close]},${row.values[volume]}`);
  // One repeated date and one unreadable number, so the report has something to say.
  const [date0, close0] = (lines[0] as string).split(",");
  const csv = ["date,close,volume", ...lines, `${date0},${close0},1`, "2001-01-02,not-a-number,5"].join("\n");
  const file = test.info().outputPath("spx_slice.csv");
  await writeFile(file, csv);

  await signIn(page, "operator");
  await page.goto("/datasets");
  await expect(page.getByTestId("dataset-list")).toContainText("seattle_weather");
  await expect(page.getByText(/Up to 50\.0 MB/)).toBeVisible();

  await page.getByLabel("CSV file").setInputFiles(file);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("spx_slice");
  await page.getByRole("button", { name: "Upload" }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("Imported spx_slice");
  await expect(report).toContainText("61 of 62 rows imported");
  await expect(report).toContainText("duplicate date");
  await expect(report).toContainText('"not-a-number" in close');

  const row = page.locator('tr[data-dataset="spx_slice"]');
  await expect(row).toContainText("uploaded");
  await expect(row).toContainText("61");
  await expect(row).toContainText(`${sp500.rows[0]?.date} – 2001-01-02`);
  const preview = page.getByTestId("dataset-preview");
  await expect(preview.getByRole("heading", { name: "spx_slice" })).toBeVisible();
  await expect(page.getByTestId("dataset-rows").locator("tbody tr").first()).toContainText(String(sp500.rows[0]?.values[close]));
  await expect.poll(async () => Number(await page.getByTestId("dataset-chart").getAttribute("data-points"))).toBe(60);
  await preview.getByLabel("Column").selectOption("volume");
  await expect.poll(async () => Number(await page.getByTestId("dataset-chart").getAttribute("data-points"))).toBe(61);
  await screenshot(page, "datasets");

  // A built-in's chart covers its whole range, thinned.
  await page.getByRole("button", { name: "sp500", exact: true }).click();
  await expect(preview.getByRole("heading", { name: "sp500" })).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId("dataset-chart").getAttribute("data-points"))).toBeGreaterThan(1000);

  const fileError = page.locator("#upload-file-error");
  const headerOnly = test.info().outputPath("header_only.csv");
  await writeFile(headerOnly, "date,close\n");
  await page.getByLabel("CSV file").setInputFiles(headerOnly);
  await page.getByLabel("Name", { exact: true }).fill("header_only");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(fileError).toContainText("has a header but no data rows");
  await expect(page.getByLabel("CSV file")).toHaveAttribute("aria-invalid", "true");

  const huge = test.info().outputPath("huge.csv");
  await writeFile(huge, Buffer.alloc(60_000_000, "1"));
  await page.getByLabel("CSV file").setInputFiles(huge);
  await expect(fileError).toHaveText("huge.csv is 60.0 MB; the limit is 50.0 MB");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(fileError).toHaveText("huge.csv is 60.0 MB; the limit is 50.0 MB");
  await expect(page.getByTestId("dataset-list").locator("tbody tr")).toHaveCount((await api.datasets.list.query()).length);
  expect((await api.datasets.list.query()).map((d) => d.name)).not.toContain("header_only");
  await rm(huge);
  await screenshot(page, "datasets-errors");
});

test("workers: the fleet shows both wasm workers with their backend pick and the runs they hold", async ({ page }) => {
  const api = await apiAs("operator");
  // Many small batches: trains long enough to be seen on a worker.
  const { id } = await api.training.start.mutate({
    name: "e2e forms: worker load",
    spec: {
      data: { dataset: "sp500", target: "spx_close", transform: "logReturn" },
      train: { epochs: 30, batchSize: 16, patience: 0, refitEpochs: 1 },
      retrodiction: { windows: 1, batchSizeDays: 30 },
    },
  });
  await signIn(page, "viewer");
  await page.goto("/workers");
  await expect(page.getByTestId("worker-backend")).toHaveText(["wasm", "wasm"]);
  await expect(page.getByTestId("worker-summary")).toContainText("2 live workers");
  const table = page.getByTestId("worker-table");
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table).toContainText("ONLINE");
  await expect(table).toContainText(/\ds ago/);
  // Why the better backends were passed over is one click away.
  const rejected = table.locator("details").first();
  await rejected.locator("summary").click();
  await expect(rejected.locator("li").first()).toHaveText(/^\w+: .+/);
  const busy = table.locator("tbody tr", { has: page.locator(`a[href="/runs/${id}"]`) });
  await expect(busy).toHaveCount(1, { timeout: 60_000 });
  await expect(busy).toContainText(/1 \/ \d+/);
  await expect(page.getByTestId("worker-summary")).toContainText(/1 of \d+ slots busy/);
  await screenshot(page, "workers");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "workers-dark");
  await api.training.cancel.mutate({ id });
});

test("workers: one killed with SIGKILL is replaced, and the page says how it died", async ({ page }) => {
  const api = await apiAs("admin");
  const victim = (await api.workers.list.query()).find((w) => w.status === "ONLINE");
  expect(victim).toBeDefined();
  process.kill(victim?.pid as number, "SIGKILL");
  await signIn(page, "viewer");
  await page.goto("/workers");
  await expect(page.getByTestId("worker-last-death")).toContainText(`Worker ${victim?.hostname}:${victim?.pid} died`, { timeout: 30_000 });
  await expect(page.getByTestId("worker-last-death")).toContainText("killed by SIGKILL; restarted by the supervisor");
  await expect(page.getByTestId("worker-summary")).toContainText("2 live workers", { timeout: 60_000 });
  await page.getByLabel(/Show stopped and dead workers/).check();
  await expect(page.getByTestId("worker-exit-reason").first()).toHaveText("killed by SIGKILL; restarted by the supervisor");
  await screenshot(page, "workers-restarted");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "workers-restarted-dark");
});

test("tokens: shown once, works as a Bearer token until revoked; an admin creates a viewer", async ({ page }) => {
  const me = (token: string) => page.request.get("/api/trpc/users.me", { headers: { authorization: `Bearer ${token}` } });
  await signIn(page, "operator");
  await page.goto("/tokens");
  await expect(page.getByText("hindcast login --token <token>")).toBeVisible();

  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.locator("#token-name-error")).toHaveText("required");
  await field(page, "Token name").fill("e2e laptop");
  await page.getByRole("button", { name: "Create token" }).click();
  const box = page.getByTestId("new-token");
  await expect(box).toContainText("shown only this once");
  const token = await box.getByLabel("API token").inputValue();
  expect(token).toMatch(/^hc_/);
  await expect(box).toContainText(`login --token ${token}`);
  await screenshot(page, "tokens");

  const ok = await me(token);
  expect(ok.status()).toBe(200);
  expect(await ok.text()).toContain(accounts.operator.email);
  expect((await me(`${token}x`)).status()).toBe(401);

  await box.getByRole("button", { name: "I have copied it" }).click();
  await expect(box).toBeHidden();
  await expect(page.getByText(token)).toHaveCount(0);

  const row = page.getByTestId("my-tokens").locator('tr[data-token="e2e laptop"]');
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Revoke e2e laptop" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “e2e laptop”?" });
  await expect(dialog.getByRole("button", { name: "Revoke token" })).toBeFocused();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("revoked");
  expect((await me(token)).status()).toBe(401);

  await signIn(page, "admin");
  await page.goto("/tokens");
  await expect(page.getByTestId("user-list")).toContainText(accounts.viewer.email);
  await expect(page.getByTestId("all-tokens")).toContainText(accounts.operator.email);
  const email = "new-viewer@example.com";
  await field(page, "Email").fill("not an email");
  await field(page, "Password").fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.locator("#user-email-error")).toHaveText(/email address/);
  await expect(page.locator("#user-password-error")).toHaveText("use at least 12 characters");
  await field(page, "Email").fill(email);
  await field(page, "Password").fill("a long enough password");
  await field(page, "Role").selectOption("VIEWER");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`Created ${email} (viewer)`)).toBeVisible();
  const userRow = page.locator(`tr[data-user="${email}"]`);
  await expect(userRow.getByLabel(`Role of ${email}`)).toHaveValue("VIEWER");
  const created = (await (await apiAs("admin")).users.list.query()).find((u) => u.email === email);
  expect(created).toMatchObject({ role: "VIEWER", disabled: false });

  await userRow.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable user" }).click();
  await expect(userRow).toContainText("disabled");
  expect((await (await apiAs("admin")).users.list.query()).find((u) => u.email === email)?.disabled).toBe(true);
  await screenshot(page, "tokens-admin");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "tokens-admin-dark");
});
