import { describe, expect, it } from "vitest";
import { inferFrequency } from "../src/index";

/** ISO dates from a start date, stepping by each gap in days. */
function datesWithGaps(start: string, gaps: number[]): string[] {
  const dates = [start];
  let time = Date.parse(`${start}T00:00:00Z`);
  for (const gap of gaps) {
    time += gap * 86_400_000;
    dates.push(new Date(time).toISOString().slice(0, 10));
  }
  return dates;
}

const monthStarts = (count: number, stepMonths: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.UTC(2001, i * stepMonths, 1)).toISOString().slice(0, 10));

describe("inferFrequency", () => {
  it("infers daily from one-day gaps, weekends included", () => {
    expect(inferFrequency(datesWithGaps("2020-01-01", Array(30).fill(1)))).toBe("daily");
  });

  it("infers business-daily from weekdays with weekend and holiday gaps", () => {
    // 2020-01-06 is a Monday: five weeks of trading days, one with a Friday holiday (4-day gap).
    const week = [1, 1, 1, 1, 3];
    const dates = datesWithGaps("2020-01-06", [...week, ...week, 1, 1, 1, 4, ...week, ...week]);
    expect(inferFrequency(dates)).toBe("business-daily");
  });

  it("infers daily for weekday-only dates that never skip a day", () => {
    expect(inferFrequency(["2020-01-06", "2020-01-07", "2020-01-08"])).toBe("daily");
  });

  it("infers daily, not business-daily, when weekdays-only dates have many long gaps", () => {
    const dates = datesWithGaps("2020-01-06", [1, 1, 1, 1, 10, 1, 1, 1, 1, 10, 1, 1, 1, 1, 10]);
    expect(inferFrequency(dates)).toBe("daily");
  });

  it.each([
    ["weekly", datesWithGaps("2020-01-06", Array(10).fill(7))],
    ["monthly", monthStarts(24, 1)],
    ["quarterly", monthStarts(12, 3)],
    ["yearly", monthStarts(6, 12)],
    ["irregular", datesWithGaps("2020-01-01", [2, 5, 13, 40, 3])],
    ["irregular", ["2020-01-01"]],
    ["irregular", []],
  ])("infers %s", (frequency, dates) => {
    expect(inferFrequency(dates)).toBe(frequency);
  });
});
