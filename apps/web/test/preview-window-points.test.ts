import { describe, expect, it } from "vitest";
import { daysForEnoughPoints, minPointsPerWindow, pointsPerWindow } from "../src/components/preview/window-points";

// Monthly CO2 from 1958-03 to 2024-12, business-daily S&P 500 over 10 years, daily weather over 4 years.
const monthly = { rows: 802, start: "1958-03-01", end: "2024-12-01" };
const businessDaily = { rows: 2_517, start: "2014-01-02", end: "2023-12-29" };
const daily = { rows: 1_461, start: "2012-01-01", end: "2015-12-31" };

describe("points per retrodiction window", () => {
  it("counts about 2 monthly rows in 60 days, too few to judge, and names the days that hold enough", () => {
    expect(pointsPerWindow(monthly, 60)).toBe(2);
    expect(pointsPerWindow(monthly, 90)).toBe(3);
    expect(daysForEnoughPoints(monthly)).toBe(305);
    expect(pointsPerWindow(monthly, daysForEnoughPoints(monthly) as number)).toBeGreaterThanOrEqual(minPointsPerWindow);
  });

  it("counts the rows of business-daily and daily data over calendar days", () => {
    expect(pointsPerWindow(businessDaily, 90)).toBe(62);
    expect(pointsPerWindow(daily, 30)).toBe(30);
    expect(pointsPerWindow(daily, 5)).toBeLessThan(minPointsPerWindow);
  });

  it("says nothing about a dataset whose size or dates are unknown", () => {
    expect(pointsPerWindow({ rows: null, start: "2020-01-01", end: "2021-01-01" }, 90)).toBeNull();
    expect(pointsPerWindow({ rows: 1, start: "2020-01-01", end: "2020-01-01" }, 90)).toBeNull();
    expect(daysForEnoughPoints({ rows: 10, start: null, end: null })).toBeNull();
  });
});
