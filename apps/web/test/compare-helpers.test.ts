import { bestIndexes, bestStat, metricDirection } from "@hindcast/contracts";
import { describe, expect, it } from "vitest";
import { differingWindows } from "../src/app/(dashboard)/compare/window-check";

describe("metric directions", () => {
  it("gives losses and errors lower, skill and accuracy higher, and everything else none", () => {
    const lower = ["train_loss", "val_loss", "epoch_train_loss", "window/rmse", "window/mae", "window/mase", "rmse", "mase"];
    const higher = ["window/skill_vs_naive", "window/skill_vs_best", "directional_accuracy", "skill_vs_best"];
    // Keys the metric catalog does not know have no direction.
    const none = ["lr", "samples_per_second", "epoch", "coverage_95", "step", "maestro", "valLoss"];
    for (const key of lower) expect(metricDirection(key), key).toBe("lower");
    for (const key of higher) expect(metricDirection(key), key).toBe("higher");
    for (const key of none) expect(metricDirection(key), key).toBe("none");
    expect(["val_loss", "window/skill_vs_best", "lr"].map((key) => bestStat(metricDirection(key)))).toEqual(["min", "max", undefined]);
  });

  it("stars the best run only for metrics with a direction, and never a tie", () => {
    expect([...bestIndexes("lower", [0.3, 0.1, null])]).toEqual([1]);
    expect([...bestIndexes("higher", [0.3, 0.1])]).toEqual([0]);
    expect([...bestIndexes("none", [0.001, 0.003])]).toEqual([]);
    expect([...bestIndexes("lower", [0.2, 0.2])]).toEqual([]);
  });
});

describe("runs scored on different retrodiction windows", () => {
  const w = (startDate: string, endDate: string) => ({ startDate, endDate });
  const six = [w("2020-01-01", "2020-03-30"), w("2020-03-31", "2020-06-28")];

  it("finds nothing when every run with results has the same windows; runs without results do not count", () => {
    expect(
      differingWindows([
        { id: "a", windows: six },
        { id: "b", windows: [...six] },
        { id: "c", windows: null },
      ]),
    ).toEqual([]);
  });

  it("groups the runs by their windows and describes each by count and ISO date range", () => {
    const groups = differingWindows([
      { id: "a", windows: six },
      { id: "b", windows: [w("2020-04-01", "2020-06-28")] },
      { id: "c", windows: six },
    ]);
    expect(groups.map((g) => [g.runIds, g.description])).toEqual([
      [["a", "c"], "2 windows, 2020-01-01 – 2020-06-28"],
      [["b"], "1 window, 2020-04-01 – 2020-06-28"],
    ]);
  });

  it("lists the windows one by one when two groups share a count and range", () => {
    const shifted = [w("2020-01-01", "2020-03-20"), w("2020-03-21", "2020-06-28")];
    const groups = differingWindows([
      { id: "a", windows: six },
      { id: "b", windows: shifted },
    ]);
    expect(groups.map((g) => g.description)).toEqual([
      "2020-01-01 – 2020-03-30; 2020-03-31 – 2020-06-28",
      "2020-01-01 – 2020-03-20; 2020-03-21 – 2020-06-28",
    ]);
  });
});
