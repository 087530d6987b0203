import { expect, type Locator, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

export const themes = ["light", "dark"] as const;
export type Theme = (typeof themes)[number];

/** The runs a tour of the pages shows: a finished run (its page) and a second one to compare it with, and a sweep. */
export interface TourRuns {
  tag: string;
  ids: [string, string];
  sweep: string;
}

export interface TourPage {
  name: string;
  /** Signed out (the login page) or in as the admin, who sees every control. */
  signedIn: boolean;
  url: (runs: TourRuns) => string;
  /** Resolves once the page shows its data, not a loading state. */
  ready: (page: Page) => Promise<void>;
}

/** A number an element carries in an attribute ("data-points" of a chart, "aria-valuenow" of a progress bar). */
export const numberAttribute = async (locator: Locator, attribute: string) => Number(await locator.getAttribute(attribute));

/** The page of a training run shows it moving: the progress bar advances and the loss chart draws points, then more. */
export async function expectRunMoving(page: Page, timeout: number): Promise<void> {
  const bar = page.getByRole("progressbar", { name: "Run progress" });
  const percent = await numberAttribute(bar, "aria-valuenow");
  await expect.poll(() => numberAttribute(bar, "aria-valuenow"), { timeout }).toBeGreaterThan(percent);
  const chart = page.getByTestId("loss-chart");
  await expect.poll(() => numberAttribute(chart, "data-points"), { timeout }).toBeGreaterThan(0);
  const points = await numberAttribute(chart, "data-points");
  await expect.poll(() => numberAttribute(chart, "data-points"), { timeout }).toBeGreaterThan(points);
}

const visible = async (page: Page, testId: string) => expect(page.getByTestId(testId).first()).toBeVisible();
const chartDrawn = async (page: Page, testId: string) =>
  expect.poll(() => numberAttribute(page.getByTestId(testId).first(), "data-points")).toBeGreaterThan(0);

/** Every page of the dashboard. */
export const tourPages: TourPage[] = [
  {
    name: "login",
    signedIn: false,
    url: () => "/login",
    ready: (page) => expect(page.getByRole("button", { name: "Sign in" })).toBeVisible(),
  },
  {
    name: "runs",
    signedIn: true,
    url: ({ tag }) => `/runs?tags=${tag}`,
    ready: (page) => expect(page.locator("tr[data-run-id]")).toHaveCount(2),
  },
  {
    name: "run",
    signedIn: true,
    url: ({ ids }) => `/runs/${ids[0]}`,
    ready: async (page) => {
      await visible(page, "retrodiction-table");
      await visible(page, "step-errors");
    },
  },
  {
    name: "compare",
    signedIn: true,
    url: ({ ids }) => `/compare?ids=${ids.join(",")}`,
    ready: async (page) => {
      await visible(page, "param-parallel");
      await chartDrawn(page, "compare-chart-train_loss");
    },
  },
  {
    name: "sweeps",
    signedIn: true,
    url: () => "/sweeps",
    ready: (page) => visible(page, "sweep-list"),
  },
  {
    name: "sweep",
    signedIn: true,
    url: ({ sweep }) => `/sweeps/${sweep}`,
    ready: (page) => visible(page, "trial-table"),
  },
  {
    name: "new",
    signedIn: true,
    url: () => "/new",
    ready: (page) => expect(page.getByLabel("Dataset", { exact: true }).locator("option")).not.toHaveCount(1),
  },
  {
    name: "preview",
    signedIn: true,
    url: () => "/preview",
    ready: async (page) => {
      await expect(page.getByRole("button", { name: "Train in this browser" })).toBeVisible();
      // The label wraps the select, so its name includes the chosen option ("Dataset sp500").
      await expect(page.getByRole("combobox", { name: /^Dataset/ })).not.toHaveValue("");
      await expect(page.getByLabel("Finished run")).not.toContainText("Loading…");
    },
  },
  {
    name: "datasets",
    signedIn: true,
    url: () => "/datasets",
    ready: async (page) => {
      await visible(page, "dataset-rows");
      await chartDrawn(page, "dataset-chart");
    },
  },
  {
    name: "workers",
    signedIn: true,
    url: () => "/workers",
    ready: async (page) => {
      await visible(page, "worker-table");
      // Each worker's heartbeat carries its machine's load.
      await expect(page.getByTestId("worker-cpu").first()).toContainText(/CPU \d/);
      await expect(page.getByTestId("worker-memory").first()).toContainText(/GB of/);
    },
  },
  {
    name: "tokens",
    signedIn: true,
    url: () => "/tokens",
    ready: async (page) => {
      await expect(page.getByRole("button", { name: "Create token" })).toBeVisible();
      await visible(page, "user-list");
    },
  },
];

/** Opens `target` in `theme` (the OS preference; no theme picked in the app), signed in as it needs. */
export async function openTourPage(page: Page, target: TourPage, runs: TourRuns, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  if (target.signedIn) await signIn(page, "admin");
  else await page.context().clearCookies();
  await page.goto(target.url(runs));
  await target.ready(page);
}
