import { describe, expect, it } from "vitest";
import { parseCsvRecords } from "../src/csv-records";
import { CsvImportError, type CsvImportOptions, importCsv, importCsvOffThread, maxDatasetCells, summarizeReport } from "../src/index";

const csv = (...lines: string[]) => `${lines.join("\n")}\n`;
const importText = (text: string, options: Partial<CsvImportOptions> = {}) =>
  importCsv(text, { name: "test.csv", source: "upload:test.csv", ...options });

/** Runs an import that must fail and returns its error. */
function importError(text: string, options: Partial<CsvImportOptions> = {}): CsvImportError {
  try {
    importText(text, options);
  } catch (error) {
    if (error instanceof CsvImportError) return error;
    throw error;
  }
  throw new Error("expected a CsvImportError");
}

describe("dates", () => {
  it("accepts ISO dates, date-times, YYYY/MM/DD and YYYY-MM", () => {
    const { dataset, report } = importText(csv("date,v", "2020-01-01,1", "2020-01-02T13:45:00Z,2", "2020/01/03,3", "2020-02,4"));
    expect(dataset.dates).toEqual(["2020-01-01", "2020-01-02", "2020-01-03", "2020-02-01"]);
    expect(dataset.columns.v).toEqual([1, 2, 3, 4]);
    expect(report.rejectedRows).toEqual([]);
  });

  it("rejects text that is not a date", () => {
    const { report } = importText(csv("date,v", "2020-01-01,1", "yesterday,2"));
    expect(report.rejectedRows).toEqual([{ line: 3, reason: "bad-date", detail: '"yesterday" is not a date; use ISO dates (YYYY-MM-DD)' }]);
  });

  it("rejects dates that are not on the calendar but accepts leap days", () => {
    const { dataset, report } = importText(csv("date,v", "2020-02-29,1", "2021-02-29,2", "2021-02-30,3", "2021-13-01,4"));
    expect(dataset.dates).toEqual(["2020-02-29"]);
    expect(report.rejectedRows.map(({ line, detail }) => [line, detail])).toEqual([
      [3, '"2021-02-29" is not a calendar date'],
      [4, '"2021-02-30" is not a calendar date'],
      [5, '"2021-13-01" is not a calendar date'],
    ]);
  });

  it("rejects a slashed date with a two-digit year, which names no century", () => {
    const { report } = importText(csv("date,v", "2020-01-01,1", "1/13/20,2"));
    expect(report.rejectedRows).toEqual([
      { line: 3, reason: "bad-date", detail: '"1/13/20" has a two-digit year; write the year in full or use ISO dates (YYYY-MM-DD)' },
    ]);
  });
});

describe("day-month-year dates", () => {
  const howToName =
    "name the date format, MM/DD/YYYY or DD/MM/YYYY (the upload form's \"Date format\", the CLI's --date-format, the API's dateFormat)";

  it("reads US dates as month first once a later row can only be read that way", () => {
    const { dataset, report } = importText(csv("date,v", "01/11/2021,1", "01/12/2021,2", "1/13/2021,3", "02/01/2021,4"));
    expect(dataset.dates).toEqual(["2021-01-11", "2021-01-12", "2021-01-13", "2021-02-01"]);
    expect(report.rejectedRows).toEqual([]);
    expect(report.dateFormat).toEqual({ format: "MM/DD/YYYY", settledByLine: 4 });
    expect(summarizeReport(report)).toContain("Dates read as MM/DD/YYYY (line 4 can only be read that way).");
  });

  it("reads day-first dates once a row has a first part over 12, alongside ISO dates and timestamps", () => {
    const text = csv("date,v", "11/01/2021,1", "12/01/2021,2", "13/01/2021,3", "2021-01-14,4", "2021-01-15T08:30:00Z,5", "31/02/2021,6");
    const { dataset, report } = importText(text);
    expect(dataset.dates).toEqual(["2021-01-11", "2021-01-12", "2021-01-13", "2021-01-14", "2021-01-15"]);
    expect(report.dateFormat).toEqual({ format: "DD/MM/YYYY", settledByLine: 4 });
    expect(report.rejectedRows).toEqual([{ line: 7, reason: "bad-date", detail: '"31/02/2021" is not a calendar date as DD/MM/YYYY' }]);
  });

  it("leaves the format out of the report of a file with only ISO dates, even when one is named", () => {
    expect(importText(csv("date,v", "2021-01-01,1")).report).not.toHaveProperty("dateFormat");
    expect(importText(csv("date,v", "2021-01-01,1"), { dateFormat: "DD/MM/YYYY" }).report).not.toHaveProperty("dateFormat");
  });

  it("rejects a slashed date that is a date in neither order without asking for a format", () => {
    const { report } = importText(csv("date,v", "2021-01-01,1", "13/13/2021,2"));
    expect(report.rejectedRows).toEqual([
      { line: 3, reason: "bad-date", detail: '"13/13/2021" is a date neither as MM/DD/YYYY nor as DD/MM/YYYY; use ISO dates (YYYY-MM-DD)' },
    ]);
  });

  it("refuses rows that settle both orders, naming both rows", () => {
    const error = importError(csv("date,v", "13/01/2021,1", "01/02/2021,2", "01/14/2021,3", "14/01/2021,4"));
    expect(error.toLine()).toBe(
      'Column "date" of "test.csv" mixes date orders (line 2: "13/01/2021" is a date only as DD/MM/YYYY; ' +
        `line 4: "01/14/2021" is a date only as MM/DD/YYYY). Fix: write every date in one order, or ${howToName} to reject the rows in the other order`,
    );
    expect(error.problems).toEqual([
      'line 2: "13/01/2021" is a date only as DD/MM/YYYY',
      'line 4: "01/14/2021" is a date only as MM/DD/YYYY',
    ]);
    expect(error.path).toBe("dateFormat");
  });

  it("refuses dates no row settles, naming the ambiguous rows and how to name the format", () => {
    const months = ["01", "02", "03", "04", "05", "06", "07", "08"].map((month, i) => `${month}/02/2021,${i}`);
    const error = importError(csv("date,v", ...months));
    expect(error.toLine()).toBe(
      'Column "date" of "test.csv" has dates that read both as month/day and as day/month (lines 2, 3, 4, 5, 6 and 3 more, e.g. "01/02/2021") ' +
        `and no row settles the order. Fix: ${howToName}, or use ISO dates (YYYY-MM-DD)`,
    );
    expect(error.problems).toHaveLength(8);
    expect(error.problems[0]).toBe('line 2: "01/02/2021" is a date both as MM/DD/YYYY and as DD/MM/YYYY');
    expect(error.path).toBe("dateFormat");
    const one = importError(csv("date,v", "2020-01-01,1", "1/3/2020,2"));
    expect(one.message).toMatch(
      /^Column "date" of "test.csv" has dates that read both as month\/day and as day\/month \(line 3, e.g. "1\/3\/2020"\)/,
    );
  });

  it("reads the dates in a named format, rejecting the rows that are no date in it", () => {
    const text = csv("date,v", "01/02/2021,1", "02/02/2021,2", "13/02/2021,3");
    const { dataset, report } = importText(text, { dateFormat: "MM/DD/YYYY" });
    expect(dataset.dates).toEqual(["2021-01-02", "2021-02-02"]);
    expect(report.dateFormat).toEqual({ format: "MM/DD/YYYY" });
    expect(report.rejectedRows).toEqual([{ line: 4, reason: "bad-date", detail: '"13/02/2021" is not a calendar date as MM/DD/YYYY' }]);
    expect(summarizeReport(report)).toContain("Dates read as MM/DD/YYYY (as named).");
    expect(importText(text, { dateFormat: "DD/MM/YYYY" }).dataset.dates).toEqual(["2021-02-01", "2021-02-02", "2021-02-13"]);
  });

  it("does not let a row with the wrong field count settle the order", () => {
    const error = importError(csv("date,v", "01/02/2021,1", "01/13/2021,2,3"));
    expect(error.path).toBe("dateFormat");
    expect(error.problems).toEqual(['line 2: "01/02/2021" is a date both as MM/DD/YYYY and as DD/MM/YYYY']);
  });

  it("takes a header line of day-month-year dates for data", () => {
    expect(importError(csv("01/13/2021,1", "01/14/2021,2")).toLine()).toBe(
      'The first line looks like data, not a header ("01/13/2021,1"). Fix: add a header line naming the columns, e.g. "date,value"',
    );
  });
});

describe("row order", () => {
  it("keeps the first of two rows with the same date and names its line", () => {
    const { dataset, report } = importText(csv("date,v", "2020-01-01,1", "2020-01-02,2", "2020-01-02,99", "2020-01-03,3"));
    expect(dataset.columns.v).toEqual([1, 2, 3]);
    expect(report.rejectedRows).toEqual([{ line: 4, reason: "duplicate-date", detail: "2020-01-02 already appears on line 3" }]);
    expect(report.rowsAccepted).toBe(3);
  });

  it("sorts unsorted rows by default and says so", () => {
    const { dataset, report } = importText(csv("date,v", "2020-01-03,3", "2020-01-01,1", "2020-01-02,2"));
    expect(dataset.dates).toEqual(["2020-01-01", "2020-01-02", "2020-01-03"]);
    expect(dataset.columns.v).toEqual([1, 2, 3]);
    expect(report.sorted).toBe(true);
    expect(report.warnings).toEqual(["Rows were not in date order (first out-of-order row: line 3); they were sorted by date."]);
  });

  it('rejects each row dated before the previous accepted one with onUnsorted "reject"', () => {
    const { dataset, report } = importText(csv("date,v", "2020-01-02,2", "2020-01-01,1", "2020-01-03,3", "2020-01-02,9"), {
      onUnsorted: "reject",
    });
    expect(dataset.dates).toEqual(["2020-01-02", "2020-01-03"]);
    expect(report.sorted).toBe(false);
    expect(report.warnings).toEqual([]);
    expect(report.rejectedRows).toEqual([
      { line: 3, reason: "unsorted", detail: "2020-01-01 comes after 2020-01-02 (line 2)" },
      { line: 5, reason: "duplicate-date", detail: "2020-01-02 already appears on line 2" },
    ]);
  });
});

describe("rows and cells", () => {
  it("rejects rows with the wrong number of fields, counting blank lines and multi-line quoted cells", () => {
    const text = csv("date,v,note", "2020-01-01,1,a", "", '2020-01-02,2,"two', 'lines"', "2020-01-03,3", "2020-01-04,4,d,extra");
    const { dataset, report } = importText(text);
    expect(dataset.dates).toEqual(["2020-01-01", "2020-01-02"]);
    expect(report.rowsRead).toBe(4);
    expect(report.rejectedRows).toEqual([
      { line: 6, reason: "wrong-field-count", detail: "expected 3 fields, found 2" },
      { line: 7, reason: "wrong-field-count", detail: "expected 3 fields, found 4" },
    ]);
  });

  it("reads Excel-style files: byte order mark, CRLF line endings, quoted cells", () => {
    const { dataset, report } = importText('\uFEFFDate,"close"\r\n2020-01-01,"1.5"\r\n2020-01-02, 2\r\n');
    expect(report.dateColumn).toBe("Date");
    expect(dataset).toMatchObject({ dates: ["2020-01-01", "2020-01-02"], columns: { close: [1.5, 2] } });
  });

  it("skips blank lines and lines of empty fields without rejecting them", () => {
    const { dataset, report } = importText(csv("date,v", "", "2020-01-01,1", "   ", ",", "2020-01-02,"));
    expect(dataset.columns.v).toEqual([1, null]);
    expect(report.rowsRead).toBe(2);
    expect(report.rejectedRows).toEqual([]);
  });

  it("imports a non-numeric cell in a numeric column as null and lists it", () => {
    const { dataset, report } = importText(csv("date,price", "2020-01-01,1.5", "2020-01-02,1,234.5", "2020-01-03,abc", "2020-01-04, 2 "));
    expect(dataset.columns.price).toEqual([1.5, null, 2]);
    expect(report.invalidCells).toEqual([{ line: 4, column: "price", value: "abc" }]);
    expect(report.invalidCellCount).toBe(1);
    expect(report.rejectedRows.map(({ reason }) => reason)).toEqual(["wrong-field-count"]);
  });

  it("lists at most 100 invalid cells but counts them all", () => {
    const rows = Array.from(
      { length: 301 },
      (_, day) => `${new Date(Date.UTC(2020, 0, day + 1)).toISOString().slice(0, 10)},${day % 2 ? "x" : day}`,
    );
    const { report } = importText(csv("date,v", ...rows));
    expect(report.invalidCellCount).toBe(150);
    expect(report.invalidCells).toHaveLength(100);
    expect(report.ignoredColumns).toEqual([]);
  });

  it("ignores a mostly non-numeric column as categorical instead of listing its cells", () => {
    const { dataset, report } = importText(csv("date,v,weather", "2020-01-01,1,sun", "2020-01-02,2,rain", "2020-01-03,3,4"));
    expect(Object.keys(dataset.columns)).toEqual(["v"]);
    expect(report.ignoredColumns).toEqual([{ column: "weather", reason: 'most of its cells are not numbers (categorical, e.g. "sun")' }]);
    expect(report.invalidCells).toEqual([]);
  });

  it("imports empty cells and the markers NA, NaN, null and - as missing, not invalid", () => {
    const { dataset, report } = importText(csv("date,a,b", "2020-01-01,,NA", "2020-01-02,NaN,null", "2020-01-03,-,na", "2020-01-04,1,2"));
    expect(dataset.columns).toEqual({ a: [null, null, null, 1], b: [null, null, null, 2] });
    expect(report.missingCells).toBe(6);
    expect(report.invalidCellCount).toBe(0);
  });

  it("ignores a column with no values at all", () => {
    const { dataset, report } = importText(csv("date,v,empty", "2020-01-01,1,", "2020-01-02,2,NA"));
    expect(Object.keys(dataset.columns)).toEqual(["v"]);
    expect(report.ignoredColumns).toEqual([{ column: "empty", reason: "it has no values" }]);
  });
});

describe("columns", () => {
  it("uses the first date, month, time or day header as the date column, case-insensitively", () => {
    const { dataset, report } = importText(csv("id,Month,v", "7,2020-01,1", "8,2020-02,2"));
    expect(report.dateColumn).toBe("Month");
    expect(dataset.columns).toEqual({ id: [7, 8], v: [1, 2] });
  });

  it("falls back to the first column, or uses the dateColumn option", () => {
    expect(importText(csv("when,v", "2020-01-01,1")).report.dateColumn).toBe("when");
    const { dataset } = importText(csv("v,observed", "1,2020-01-01"), { dateColumn: "observed" });
    expect(dataset).toMatchObject({ dates: ["2020-01-01"], columns: { v: [1] } });
  });

  it("keeps only the columns named in the columns option", () => {
    const { dataset } = importText(csv("date,a,b,c", "2020-01-01,1,2,3"), { columns: ["c", "a"] });
    expect(dataset.columns).toEqual({ a: [1], c: [3] });
  });

  it("splits columns by a pivot column into <value>_<column> on one date index", () => {
    const text = csv(
      "city,date,temp,sky",
      "New York,2020-01-01,1,sun",
      "Seattle,2020-01-01,2,rain",
      "New York,2020-01-02,3,sun",
      "  ,2020-01-03,9,fog",
    );
    const { dataset, report } = importText(text, { pivotBy: "city" });
    expect(dataset.dates).toEqual(["2020-01-01", "2020-01-02"]);
    expect(dataset.columns).toEqual({ new_york_temp: [1, 3], seattle_temp: [2, null] });
    expect(report.rejectedRows).toEqual([{ line: 5, reason: "missing-pivot-value", detail: 'the pivot column "city" is empty' }]);
    expect(report.ignoredColumns.map(({ column }) => column)).toEqual(["sky"]);
  });

  it("detects duplicates and order within each pivot group only", () => {
    const text = csv("city,date,t", "A,2020-01-01,1", "A,2020-01-02,2", "B,2020-01-01,3", "B,2020-01-01,4");
    const { dataset, report } = importText(text, { pivotBy: "city" });
    expect(dataset.columns).toEqual({ a_t: [1, 2], b_t: [3, null] });
    expect(report.sorted).toBe(false);
    expect(report.rejectedRows).toEqual([{ line: 5, reason: "duplicate-date", detail: "2020-01-01 already appears on line 4" }]);
  });
});

describe("fatal problems", () => {
  it.each([
    ["an empty file", "", {}, '"test.csv" is empty. Fix: give the CSV a header line and at least one data row'],
    ["only blank lines", "\n  \n,,\r\n", {}, '"test.csv" is empty. Fix: give the CSV a header line and at least one data row'],
    ["a header without rows", csv("date,v"), {}, '"test.csv" has a header but no data rows. Fix: add rows below the header'],
    [
      "no header line",
      csv("2020-01-01,1", "2020-01-02,2"),
      {},
      'The first line looks like data, not a header ("2020-01-01,1"). Fix: add a header line naming the columns, e.g. "date,value"',
    ],
    [
      "a single column",
      csv("date;v", "2020-01-01;1"),
      {},
      'The header "date;v" has only one column. Fix: separate the columns with commas: a date column and at least one numeric column',
    ],
    [
      "a repeated column name",
      csv("date,v,v", "2020-01-01,1,2"),
      {},
      'Column "v" appears twice in the header. Fix: give every column a different name',
    ],
    ["an unnamed column", csv("date,,v", "2020-01-01,1,2"), {}, "Column 2 of the header has no name. Fix: give every column a name"],
    [
      "no dates in the date column",
      csv("name,v", "alpha,1", "beta,2"),
      {},
      'No dates found in column "name" of "test.csv" (line 2: "alpha" is not a date; use ISO dates (YYYY-MM-DD)). ' +
        "Fix: set dateColumn to the column that holds the dates, written as YYYY-MM-DD",
    ],
    [
      "an unknown dateColumn",
      csv("date,v", "2020-01-01,1"),
      { dateColumn: "day" },
      'Date column "day" is not in the header. Fix: use one of: date, v',
    ],
    [
      "an unknown column in columns",
      csv("date,v", "2020-01-01,1"),
      { columns: ["w"] },
      'Column "w" is not in the header. Fix: use one of: date, v',
    ],
    [
      "no numeric column",
      csv("date,weather", "2020-01-01,sun", "2020-01-02,rain"),
      {},
      'No numeric column in "test.csv" ("weather": most of its cells are not numbers (categorical, e.g. "sun")). ' +
        'Fix: add at least one column of numbers besides the date column "date"',
    ],
    [
      "no accepted rows",
      csv("date,v", "2020-01-01", "2020-01-02,1,2"),
      {},
      'No rows of "test.csv" could be imported: 2 rows rejected: 2 wrong field counts (lines 2, 3). Fix: fix those rows and import again',
    ],
    [
      "an unclosed quote",
      csv("date,v", '2020-01-01,"1'),
      {},
      '"test.csv" is not valid CSV (Quote Not Closed: the parsing is finished with an opening quote at line 2). Fix: check its quotes and commas',
    ],
  ])("throws a one-line CsvImportError for %s", (_case, text, options, line) => {
    const error = importError(text, options);
    expect(error.toLine()).toBe(line);
    expect(line).not.toContain("\n");
    expect(error.problems.length).toBeGreaterThan(0);
  });

  it("names the import option to change, or the file itself", () => {
    expect(importError(csv("date,v", "2020-01-01,1"), { dateColumn: "day" }).path).toBe("dateColumn");
    expect(importError(csv("date,v", "2020-01-01,1"), { pivotBy: "date" }).path).toBe("pivotBy");
    expect(importError(csv("date,v", "2020-01-01,1"), { columns: ["w"] }).path).toBe("columns");
    expect(importError(csv("date,v")).path).toBe("csv");
  });

  it("lists each rejected row in problems when no row can be imported", () => {
    expect(importError(csv("date,v", "2020-01-01", "2020-01-02,1,2")).problems).toEqual([
      "line 2: expected 2 fields, found 1",
      "line 3: expected 2 fields, found 3",
    ]);
  });
});

describe("size", () => {
  it("stops parsing at the first record past the dataset's cell limit, naming the limit and the line", () => {
    const text = ["date,value", ...Array.from({ length: 100 }, (_, i) => `2020-01-${String((i % 28) + 1).padStart(2, "0")},${i}`)].join(
      "\n",
    );
    expect(() => parseCsvRecords(text, "big.csv", 50)).toThrow(
      new CsvImportError(
        '"big.csv" holds more than 50 cells (the limit for one dataset) by line 26',
        "split it into smaller datasets or drop unused columns",
      ),
    );
    expect(parseCsvRecords(text, "big.csv", 202)).toHaveLength(101);
    expect(maxDatasetCells).toBe(10_000_000);
  });
});

describe("off the server's thread", () => {
  it("imports in a worker thread with the same result, and refuses with the same error", async () => {
    const text = "date,price\n2024-01-02,2\n2024-01-01,1\nbad,3\n";
    const options = { name: "prices", source: "upload:prices" };
    expect(await importCsvOffThread(text, options)).toEqual(importCsv(text, options));
    await expect(importCsvOffThread("date,price\n", options)).rejects.toThrow(
      new CsvImportError('"prices" has a header but no data rows', "add rows below the header"),
    );
  });

  it("reads the named date format in the worker thread too, and refuses with the field to change", async () => {
    const text = "date,price\n01/02/2024,1\n02/02/2024,2\n";
    const options = { name: "prices", source: "upload:prices", dateFormat: "DD/MM/YYYY" as const };
    const imported = await importCsvOffThread(text, options);
    expect(imported.dataset.dates).toEqual(["2024-02-01", "2024-02-02"]);
    expect(imported).toEqual(importCsv(text, options));
    const refused = await importCsvOffThread(text, { name: "prices", source: "upload:prices" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CsvImportError);
    expect(refused).toMatchObject({ path: "dateFormat", problems: expect.arrayContaining([expect.stringMatching(/^line 2: /)]) });
  });
});
