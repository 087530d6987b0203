import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import type { AxeResults, Result } from "axe-core";

const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** WCAG 2.1 A and AA, and axe's best practices. */
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** Runs axe-core (injected into the page, once per document) over the whole page; returns its violations. */
export async function axeViolations(page: Page): Promise<Result[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeScript });
  const results = await page.evaluate(
    (values) =>
      (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: "tag", values },
      }),
    tags,
  );
  return results.violations;
}

export const isSerious = (violation: Result) => violation.impact === "serious" || violation.impact === "critical";

/** One line per violation and one per element it names, with axe's summary of what fails there. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((node) => `    ${node.target.join(" ")}: ${(node.failureSummary ?? "").replaceAll("\n", " ")}`);
      return [`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} elements)`, ...nodes].join("\n");
    })
    .join("\n");
}
