import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inferFrequency } from "@hindcast/models";
import { describe, expect, it } from "vitest";
import { builtinDatasets, importCsv, loadBuiltinDataset } from "../src/index";

const dataFolder = path.join(path.dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");

/** The file read independently of the importer: a plain split, which is enough for these unquoted files. */
function readTable(file: string): { header: string[]; rows: string[][]; text: string } {
  const text = readFileSync(path.join(dataFolder, file), "utf8");
  const [header = "", ...rows] = text.trim().split(/\r?\n/);
  return { header: header.split(","), rows: rows.map((row) => row.split(",")), text };
}

/** Checks every cell of the file against the dataset: same dates in order, same numbers. */
function expectSameValues(
  file: string,
  columnFor: (fileColumn: string) => string,
  dataset: { dates: string[]; columns: Record<string, (number | null)[]> },
) {
  const { header, rows } = readTable(file);
  expect(dataset.dates).toEqual(rows.map((row) => row[0]));
  header.slice(1).forEach((fileColumn, i) => {
    expect(dataset.columns[columnFor(fileColumn)], fileColumn).toEqual(rows.map((row) => Number(row[i + 1])));
  });
}

describe("builtin dataset catalogue", () => {
  it("lists the five built-in datasets with their source files", () => {
    expect(builtinDatasets.map(({ name, file }) => [name, file])).toEqual([
      ["sp500", "sp500-2000.csv"],
      ["seattle_weather", "seattle-weather.csv"],
      ["seattle_newyork_weather", "weather.csv"],
      ["co2", "co2-concentration.csv"],
      ["us_employment", "us-employment.csv"],
    ]);
  });

  it.each(builtinDatasets.map((info) => [info.name, info] as const))("%s matches its catalogue entry", async (name, info) => {
    const dataset = await loadBuiltinDataset(name);
    expect(dataset.name).toBe(name);
    expect(dataset.source).toBe(`vega-datasets/${info.file}`);
    expect(dataset.description).toBe(info.description);
    expect(Object.keys(dataset.columns)).toEqual(info.columns.map((column) => column.name));
    expect([dataset.dates[0], dataset.dates.at(-1)]).toEqual([info.dateRange.start, info.dateRange.end]);
    expect(inferFrequency(dataset.dates)).toBe(info.frequency);
    for (const column of info.columns) expect(column.meaning.length).toBeGreaterThan(5);
  });

  it("rejects an unknown name with a message listing the valid names", async () => {
    await expect(loadBuiltinDataset("sp501")).rejects.toThrow(
      'Unknown built-in dataset "sp501"; valid names are: sp500, seattle_weather, seattle_newyork_weather, co2, us_employment.',
    );
  });

  it("returns a copy, so a caller cannot corrupt the cache", async () => {
    const first = await loadBuiltinDataset("co2");
    first.dates.length = 0;
    first.columns.co2?.fill(0);
    const second = await loadBuiltinDataset("co2");
    expect(second.dates).toHaveLength(741);
    expect(second.columns.co2?.[0]).toBe(315.7);
  });
});

describe("sp500", () => {
  it("holds every trading day of sp500-2000.csv with spx_ column names", async () => {
    const dataset = await loadBuiltinDataset("sp500");
    const { rows } = readTable("sp500-2000.csv");
    expect(dataset.dates).toHaveLength(5105);
    expectSameValues("sp500-2000.csv", (column) => `spx_${column}`, dataset);
    expect(dataset.columns.spx_close?.[0]).toBe(Number(rows[0]?.[4]));
    expect(dataset.columns.spx_close?.at(-1)).toBe(2874.560059);
    expect(dataset.columns.spx_volume?.[0]).toBe(931800000);
  });

  it("imports cleanly and is inferred as business-daily", () => {
    const { report } = importCsv(readTable("sp500-2000.csv").text, { name: "sp500", source: "test" });
    expect(report).toMatchObject({
      rowsRead: 5105,
      rowsAccepted: 5105,
      rejectedRows: [],
      invalidCellCount: 0,
      missingCells: 0,
      sorted: false,
    });
    expect(report.frequency).toBe("business-daily");
  });
});

describe("seattle_weather", () => {
  it("keeps the four numeric columns and leaves out the categorical weather column", async () => {
    const dataset = await loadBuiltinDataset("seattle_weather");
    expect(dataset.dates).toHaveLength(1461);
    expect(dataset.columns.temp_max?.[0]).toBe(12.8);
    expect(dataset.columns).not.toHaveProperty("weather");
    const { header, rows } = readTable("seattle-weather.csv");
    const withoutWeather = header.slice(0, -1);
    withoutWeather.slice(1).forEach((column, i) => {
      expect(dataset.columns[column], column).toEqual(rows.map((row) => Number(row[i + 1])));
    });
  });

  it("reports the weather column as categorical and infers daily", () => {
    const { report } = importCsv(readTable("seattle-weather.csv").text, { name: "seattle", source: "test" });
    expect(report.ignoredColumns.map(({ column }) => column)).toEqual(["weather"]);
    expect(report.invalidCellCount).toBe(0);
    expect(report.frequency).toBe("daily");
  });
});

describe("seattle_newyork_weather", () => {
  it("pivots both cities onto one date index", async () => {
    const dataset = await loadBuiltinDataset("seattle_newyork_weather");
    expect(dataset.dates).toHaveLength(1461);
    for (const column of Object.values(dataset.columns)) {
      expect(column).toHaveLength(1461);
      expect(column.some((value) => value === null)).toBe(false);
    }
  });

  it("has each city's values from weather.csv on the right dates", async () => {
    const dataset = await loadBuiltinDataset("seattle_newyork_weather");
    const seattle = await loadBuiltinDataset("seattle_weather");
    expect(dataset.dates).toEqual(seattle.dates);
    expect(dataset.columns.seattle_temp_max).toEqual(seattle.columns.temp_max);
    const { rows } = readTable("weather.csv");
    const newYork = rows.filter((row) => row[0] === "New York");
    expect(dataset.columns.new_york_temp_max).toEqual(newYork.map((row) => Number(row[3])));
    expect(dataset.columns.new_york_precipitation?.at(-1)).toBe(1.5);
    expect(dataset.columns.new_york_wind?.[dataset.dates.indexOf("2015-12-30")]).toBe(3);
  });
});

describe("co2", () => {
  it("holds the monthly Mauna Loa readings as co2 and co2_adjusted", async () => {
    const dataset = await loadBuiltinDataset("co2");
    expect(dataset.dates).toHaveLength(741);
    expectSameValues("co2-concentration.csv", (column) => (column === "CO2" ? "co2" : "co2_adjusted"), dataset);
    expect(dataset.columns.co2_adjusted?.[0]).toBe(314.44);
    expect(dataset.dates.every((date) => date.endsWith("-01"))).toBe(true);
    expect(inferFrequency(dataset.dates)).toBe("monthly");
  });
});

describe("us_employment", () => {
  it("keeps every column of us-employment.csv under its file name", async () => {
    const dataset = await loadBuiltinDataset("us_employment");
    const { header } = readTable("us-employment.csv");
    expect(Object.keys(dataset.columns)).toEqual(header.slice(1));
    expect(header).toHaveLength(24);
    expect(dataset.dates).toHaveLength(120);
    expectSameValues("us-employment.csv", (column) => column, dataset);
  });
});
