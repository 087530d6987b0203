import { type RefObject, useLayoutEffect, useMemo, useState } from "react";

/** Room kept between two titles on a row, in SVG units. */
const gap = 8;
/** A title's width before its font is known: generous for 12px sans-serif. */
const estimate = (text: string) => text.length * 7.5;

export interface AxisTitle {
  /** The title as drawn: whole, or shortened with an ellipsis to fit its room. */
  text: string;
  /** 0 is the row nearest the plot; titles alternate between two rows when one row has no room for them. */
  row: 0 | 1;
}

/** The longest start of `text` that fits `room` with an ellipsis, or `text` when it fits whole. */
export function fitText(text: string, room: number, widthOf: (text: string) => number): string {
  if (widthOf(text) <= room) return text;
  let length = text.length - 1;
  while (length > 1 && widthOf(`${text.slice(0, length)}…`) > room) length--;
  return `${text.slice(0, length)}…`;
}

/**
 * Titles centred over axes at `xs` (ascending) in a plot `plotWidth` wide, so that
 * none overlaps another or runs out of the plot: one row when every title fits
 * between its neighbours, else two alternating rows (twice the room each), and a
 * title still too wide is shortened (its <title> keeps the whole name).
 */
export function layAxisTitles(labels: string[], xs: number[], plotWidth: number, widthOf: (text: string) => number): AxisTitle[] {
  /** The widest a centred title at axis `i` may be with neighbours `step` axes away on its row. */
  const room = (i: number, step: number) => {
    const x = xs[i] as number;
    const left = i - step >= 0 ? x - (xs[i - step] as number) : 2 * x;
    const right = i + step < xs.length ? (xs[i + step] as number) - x : 2 * (plotWidth - x);
    return Math.min(left, right) - gap;
  };
  const oneRow = labels.every((label, i) => widthOf(label) <= room(i, 1));
  return labels.map((label, i) => ({
    text: fitText(label, room(i, oneRow ? 1 : 2), widthOf),
    row: oneRow ? 0 : ((i % 2) as 0 | 1),
  }));
}

/**
 * Measures text in the font `probe` (an SVG <text>) is drawn in, on a canvas, in
 * SVG units; an estimate until the probe is on the page (a layout effect, so the
 * first paint is already measured).
 */
export function useTextWidth(probe: RefObject<SVGTextElement | null>): (text: string) => number {
  const [font, setFont] = useState<string>();
  useLayoutEffect(() => {
    if (!probe.current) return;
    const style = getComputedStyle(probe.current);
    setFont(`${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`);
  });
  return useMemo(() => {
    const context = font ? document.createElement("canvas").getContext("2d") : null;
    if (!context || !font) return estimate;
    context.font = font;
    return (text: string) => context.measureText(text).width;
  }, [font]);
}
