import type { Locator, Page } from "@playwright/test";

/**
 * Every column header of every visible table, each brought into view the way
 * a person would (scrolling its scroll box sideways): what cannot be seen,
 * and each table cut off by its box or in a sideways-scrolling box the
 * keyboard cannot reach (no tabindex). The page itself must not scroll
 * sideways. Empty when all is well.
 */
export function unreachableHeaders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${Array.from(element.classList)
        .map((c) => `.${c}`)
        .join("")} "${(element.textContent ?? "").trim().slice(0, 30)}"`;
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth} px)`);
    const tables = Array.from(document.querySelectorAll("table")).filter(
      (table) => !table.matches(".u-legend") && table.getClientRects().length > 0,
    );
    for (const table of tables) {
      const name = table.dataset.testid ?? describe(table);
      let box: HTMLElement | null = table.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
      if (box && box !== document.body && box.scrollWidth > box.clientWidth) {
        const overflow = getComputedStyle(box).overflowX;
        if (overflow !== "auto" && overflow !== "scroll") problems.push(`${name}: cut off by its box (overflow-x: ${overflow})`);
        if (box.tabIndex < 0) problems.push(`${name}: scrolls sideways in a box the keyboard cannot reach (no tabindex)`);
      }
      for (const header of Array.from(table.querySelectorAll("thead th, th[scope=col]"))) {
        header.scrollIntoView({ block: "nearest", inline: "nearest" });
        const rect = header.getBoundingClientRect();
        const top = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
        if (!top || !(top === header || header.contains(top))) {
          problems.push(`${name}: header ${describe(header)} is hidden${top ? ` under ${describe(top)}` : " off the page"}`);
        }
      }
      if (box && box !== document.body) box.scrollLeft = 0;
    }
    window.scrollTo(0, 0);
    return problems;
  });
}

/** Pairs of text boxes (SVG getBBox) among `texts` that overlap, and boxes that run out of their SVG's viewBox. */
export function overlappingTexts(texts: Locator): Promise<string[]> {
  return texts.evaluateAll((elements) => {
    const problems: string[] = [];
    const boxes = (elements as SVGTextElement[]).map((text) => ({
      text: text.textContent ?? "",
      box: text.getBBox(),
      svg: text.ownerSVGElement,
    }));
    for (const [i, a] of boxes.entries()) {
      const view = a.svg?.viewBox.baseVal;
      if (view && view.width > 0 && (a.box.x < view.x || a.box.x + a.box.width > view.x + view.width)) {
        problems.push(`"${a.text}" runs out of the plot (x ${a.box.x.toFixed(1)} to ${(a.box.x + a.box.width).toFixed(1)})`);
      }
      for (const b of boxes.slice(i + 1)) {
        const apart =
          a.box.x + a.box.width <= b.box.x ||
          b.box.x + b.box.width <= a.box.x ||
          a.box.y + a.box.height <= b.box.y ||
          b.box.y + b.box.height <= a.box.y;
        if (!apart) problems.push(`"${a.text}" overlaps "${b.text}"`);
      }
    }
    return problems;
  });
}
