import { describe, expect, it } from "vitest";
import { layAxisTitles } from "../src/components/axis-titles";

/** Every character 7 units wide, the ellipsis too. */
const widthOf = (text: string) => text.length * 7;

/** Horizontal extents of centred titles, per row. */
function extents(titles: ReturnType<typeof layAxisTitles>, xs: number[]) {
  return titles.map((title, i) => ({
    row: title.row,
    from: (xs[i] as number) - widthOf(title.text) / 2,
    to: (xs[i] as number) + widthOf(title.text) / 2,
  }));
}

describe("parallel-coordinates axis titles", () => {
  it("stay whole on one row when they fit", () => {
    const titles = layAxisTitles(["lr", "epochs", "rmse"], [100, 300, 500], 600, widthOf);
    expect(titles).toEqual([
      { text: "lr", row: 0 },
      { text: "epochs", row: 0 },
      { text: "rmse", row: 0 },
    ]);
  });

  it("alternate between two rows and shorten what still does not fit, never overlapping nor leaving the plot", () => {
    const labels = [
      "train.learningRate",
      "retrodiction.batchSizeDays",
      "model.movingAverage",
      "train.validationFraction",
      "x",
      "window.lookback",
    ];
    const xs = labels.map((_, i) => 64 + i * 70);
    const titles = layAxisTitles(labels, xs, 560, widthOf);
    expect(titles.map((t) => t.row)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(titles[4]?.text).toBe("x");
    for (const [i, title] of titles.entries()) {
      if (title.text !== labels[i]) expect(labels[i]?.startsWith(title.text.slice(0, -1)) && title.text.endsWith("…")).toBe(true);
    }
    const boxes = extents(titles, xs);
    for (const [i, a] of boxes.entries()) {
      expect(a.from).toBeGreaterThanOrEqual(0);
      expect(a.to).toBeLessThanOrEqual(560);
      for (const b of boxes.slice(i + 1)) if (a.row === b.row) expect(a.to <= b.from || b.to <= a.from).toBe(true);
    }
  });
});
