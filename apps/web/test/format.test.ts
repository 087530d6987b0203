import { describe, expect, it } from "vitest";
import { formatCount, formatDate, formatNumber, formatShare, formatSkill, formatTime } from "../src/lib/format";

// Noon UTC is 1 December in every time zone from UTC-11 to UTC+11, wherever the test runs.
const firstOfDecember = new Date(Date.UTC(2026, 11, 1, 12, 0, 0));

describe("dates in the reader's locale", () => {
  it("writes 1 December month first in en-US and day first in de-DE, never en-GB's 01/12 for an American", () => {
    expect(formatDate(firstOfDecember, "en-US")).toMatch(/^12\/1\/26, \d{1,2}:\d{2}:00\s[AP]M$/);
    expect(formatDate(firstOfDecember, "de-DE")).toMatch(/^01\.12\.26, \d{2}:\d{2}:00$/);
    expect(formatDate("2026-12-01T12:00:00Z", "de-DE")).toBe(formatDate(firstOfDecember, "de-DE"));
    expect(formatDate(null)).toBe("—");
  });

  it("uses the runtime's own locale when none is given, as the browser's language", () => {
    const runtime = new Intl.DateTimeFormat().resolvedOptions().locale;
    expect(formatDate(firstOfDecember)).toBe(formatDate(firstOfDecember, runtime));
    expect(formatTime(firstOfDecember)).toBe(formatTime(firstOfDecember, runtime));
    expect(formatNumber(1234.5)).toBe(formatNumber(1234.5, runtime));
  });

  it("writes times of day without a date", () => {
    expect(formatTime(firstOfDecember, "de-DE")).toMatch(/^\d{2}:\d{2}:00$/);
  });
});

describe("numbers in the reader's locale", () => {
  it("groups and separates decimals as the locale does", () => {
    expect(formatNumber(1234.5678, "en-US")).toBe("1,235");
    expect(formatNumber(12.345678, "de-DE")).toBe("12,35");
    expect(formatNumber(0.000123456, "en-US")).toBe("1.235E-4");
    expect(formatNumber(0.000123456, "de-DE")).toBe("1,235E-4");
    expect(formatCount(1_234_567, "de-DE")).toBe("1.234.567");
    expect(formatNumber(null)).toBe("—");
  });

  it("writes skills and shares with one decimal in the locale, signed, ungrouped", () => {
    expect(formatSkill(0.123, "en-US")).toBe("+12.3%");
    expect(formatSkill(-12.3, "en-US")).toBe("−1230.0%");
    expect(formatSkill(-0.5, "de-DE")).toBe("−50,0%");
    expect(formatShare(0.931, "de-DE")).toBe("93,1%");
    expect(formatSkill(null)).toBe("—");
  });
});
