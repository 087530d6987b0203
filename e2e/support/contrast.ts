import type { Locator } from "@playwright/test";

/** An opaque colour as getComputedStyle writes it ("rgb(23, 27, 33)"), as 0-255 channels. */
function channels(color: string): [number, number, number] {
  const match = color.match(/^rgba?\((\d+(?:\.\d+)?)[, ]+(\d+(?:\.\d+)?)[, ]+(\d+(?:\.\d+)?)(?:\s*[,/]\s*([\d.]+))?\)$/);
  if (!match || (match[4] !== undefined && Number(match[4]) < 1)) throw new Error(`not an opaque rgb() colour: ${color}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** WCAG 2.x relative luminance. */
function luminance(color: string): number {
  const [r, g, b] = channels(color).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two opaque colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The computed background colour of the element's closest `.card` (the panel it sits on). */
export const panelBackground = (locator: Locator) =>
  locator.evaluate((element) => getComputedStyle(element.closest(".card") ?? document.body).backgroundColor);
