import { describe, expect, it } from "vitest";
import { type CsvImportReport, importCsv, summarizeReport } from "../src/index";

const cleanReport: CsvImportReport = {
  dateColumn: "date",
  rowsRead: 20,
  rowsAccepted: 20,
  rejectedRows: [],
  invalidCells: [],
  invalidCellCount: 0,
  ignoredColumns: [],
  missingCells: 0,
  sorted: false,
  frequency: "daily",
  warnings: [],
};

describe("summarizeReport", () => {
  it("says only how many rows were imported when nothing went wrong", () => {
    expect(summarizeReport(cleanReport)).toEqual(["20 of 20 rows imported, daily."]);
  });

  it("groups rejected rows by reason with their lines, and details a single one", () => {
    const lines = summarizeReport({
      ...cleanReport,
      rowsAccepted: 17,
      rejectedRows: [
        { line: 7, reason: "bad-date", detail: '"2021-02-30" is not a calendar date' },
        { line: 14, reason: "duplicate-date", detail: "2020-01-13 already appears on line 13" },
        { line: 20, reason: "duplicate-date", detail: "2020-01-18 already appears on line 19" },
      ],
    });
    expect(lines).toEqual([
      "17 of 20 rows imported, daily.",
      '3 rows rejected: 1 bad date (line 7: "2021-02-30" is not a calendar date), 2 duplicate dates (lines 14, 20).',
    ]);
  });

  it("describes invalid cells, ignored columns, empty cells and warnings from a real import", () => {
    const text = ["date,v,sky", "2020-01-03,x,sun", "2020-01-01,1,rain", "2020-01-02,,fog", "2020-01-04,4,sun"].join("\n");
    const { report } = importCsv(text, { name: "t.csv", source: "upload:t.csv" });
    expect(summarizeReport(report)).toEqual([
      "4 of 4 rows imported, daily.",
      '1 non-numeric cell imported as missing: "x" in v on line 2.',
      'Column "sky" ignored: most of its cells are not numbers (categorical, e.g. "rain").',
      "1 empty cell imported as missing.",
      "Rows were not in date order (first out-of-order row: line 3); they were sorted by date.",
    ]);
  });

  it("shortens long lists of lines", () => {
    const rejectedRows = Array.from({ length: 8 }, (_, i) => ({ line: i + 2, reason: "unsorted" as const, detail: "earlier" }));
    expect(summarizeReport({ ...cleanReport, rejectedRows })[1]).toBe(
      "8 rows rejected: 8 out-of-order dates (lines 2, 3, 4, 5, 6 and 3 more).",
    );
  });
});
