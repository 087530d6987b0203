import type { Page } from "@playwright/test";

/** Where keyboard focus is now, and whether a person can see it. */
export interface FocusStop {
  /** The focused element, as tag#id.class "text"; "body" when focus left the page. */
  element: string;
  /** Its centre is inside the viewport. */
  inView: boolean;
  /** The topmost element at its centre, when that is neither the focused element nor inside it (a sticky bar over it). */
  coveredBy?: string;
}

/**
 * The focused element: in view, and on top at its centre (document.elementFromPoint
 * gives the element itself or one inside it, not a sticky toolbar or header).
 */
export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : "";
      const classes = Array.from(element.classList)
        .map((c) => `.${c}`)
        .join("");
      const text = (element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 40);
      return `${element.tagName.toLowerCase()}${id}${classes}${text ? ` "${text}"` : ""}`;
    };
    const focused = document.activeElement;
    if (!focused || focused === document.body) return { element: "body", inView: true };
    const box = focused.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const inView = box.width > 0 && box.height > 0 && x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
    const top = document.elementFromPoint(x, y);
    const covered = !top || !(top === focused || focused.contains(top));
    const where = ` at (${Math.round(x)}, ${Math.round(y)})`;
    return { element: describe(focused), inView, ...(covered ? { coveredBy: `${top ? describe(top) : "nothing"}${where}` } : {}) };
  });
}

/**
 * Presses Tab (or Shift+Tab) until focus leaves the page (after reaching it) or `until` matches
 * the focused element's description, at most `limit` times; returns every stop.
 */
export async function tabThrough(
  page: Page,
  { backwards = false, limit = 150, until }: { backwards?: boolean; limit?: number; until?: RegExp } = {},
): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const stop = await focusStop(page);
    // Focus on the body before the first stop: the page took the key before it settled (hydration); press again.
    if (stop.element === "body" && stops.length === 0) continue;
    if (stop.element === "body") break;
    stops.push(stop);
    if (until?.test(stop.element)) break;
  }
  return stops;
}
