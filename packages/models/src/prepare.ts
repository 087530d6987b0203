import type { Dataset, Frequency } from "./dataset";
import { dayNumber } from "./dates";
import { DataError } from "./errors";
import { inferFrequency } from "./frequency";
import type { DataSpec } from "./specs";

export interface GapReport {
  policy: DataSpec["gapPolicy"];
  /** Missing cells found in the selected columns and date range. */
  missingCells: number;
  /** Dates removed (policy "drop", or leading gaps no policy can fill). */
  droppedDates: string[];
  /** Cells filled by carrying forward or interpolating. */
  filledCells: number;
  /** Missing calendar steps between consecutive dates (e.g. absent days in a daily series). */
  calendarGaps: number;
}

export interface PreparedSeries {
  /** Date of each row after gap handling and transform. */
  dates: string[];
  /** Column names; the target is column 0. */
  columns: string[];
  /** Row-major values, rows x columns, after the transform (not yet scaled). */
  values: Float64Array;
  frequency: Frequency;
  /** Period of the seasonal-naive baseline (7 for daily data, 12 for monthly, ...). */
  seasonPeriod: number;
  gaps: GapReport;
  transform: DataSpec["transform"];
}

const seasonPeriods: Record<Frequency, number> = {
  daily: 7,
  "business-daily": 5,
  weekly: 52,
  monthly: 12,
  quarterly: 4,
  yearly: 1,
  irregular: 1,
};

function expectedSpacing(frequency: Frequency): number | undefined {
  return { daily: 1, weekly: 7 }[frequency as string];
}

/**
 * Selects the target and feature columns over the date range, handles gaps by
 * the spec's policy (reported, never silent) and applies the transform.
 */
export function prepareSeries(dataset: Dataset, spec: DataSpec): PreparedSeries {
  const columns = [spec.target, ...spec.features];
  for (const [i, name] of columns.entries()) {
    if (!(name in dataset.columns)) {
      throw new DataError(
        `${i === 0 ? "target" : "feature"} "${name}" is not a column of dataset ${dataset.name}`,
        `use one of: ${Object.keys(dataset.columns).join(", ")}`,
        i === 0 ? "data.target" : `data.features.${i - 1}`,
      );
    }
  }
  const first = dataset.dates[0];
  const last = dataset.dates[dataset.dates.length - 1];
  if (!first || !last) throw new DataError(`dataset ${dataset.name} has no rows`, "import data into it first", "data.dataset");
  const from = spec.from ?? first;
  const to = spec.to ?? last;
  if (from > last || to < first) {
    throw new DataError(
      `date range ${from}..${to} is outside dataset ${dataset.name} (${first}..${last})`,
      `pick dates between ${first} and ${last}`,
      "data.from",
    );
  }

  const rows: number[] = [];
  for (let i = 0; i < dataset.dates.length; i++) {
    const d = dataset.dates[i] as string;
    if (d >= from && d <= to) rows.push(i);
  }
  const selected = columns.map((c) => rows.map((r) => (dataset.columns[c] as (number | null)[])[r] ?? null));
  const dates = rows.map((r) => dataset.dates[r] as string);
  const frequency = inferFrequency(dates);
  const gaps: GapReport = {
    policy: spec.gapPolicy,
    missingCells: 0,
    droppedDates: [],
    filledCells: 0,
    calendarGaps: countCalendarGaps(dates, frequency),
  };
  const filled = fillGaps(dates, selected, columns, spec.gapPolicy, gaps);
  const transformed = applyTransform(filled.dates, filled.columns, columns, spec.transform);

  const n = transformed.dates.length;
  const values = new Float64Array(n * columns.length);
  for (let c = 0; c < columns.length; c++) {
    const col = transformed.columns[c] as number[];
    for (let r = 0; r < n; r++) values[r * columns.length + c] = col[r] as number;
  }
  return { dates: transformed.dates, columns, values, frequency, seasonPeriod: seasonPeriods[frequency], gaps, transform: spec.transform };
}

function countCalendarGaps(dates: readonly string[], frequency: Frequency): number {
  const spacing = expectedSpacing(frequency);
  if (!spacing) return 0;
  let missing = 0;
  for (let i = 1; i < dates.length; i++) {
    const gap = dayNumber(dates[i] as string) - dayNumber(dates[i - 1] as string);
    if (gap > spacing) missing += Math.round(gap / spacing) - 1;
  }
  return missing;
}

function fillGaps(
  dates: string[],
  columns: (number | null)[][],
  names: string[],
  policy: DataSpec["gapPolicy"],
  report: GapReport,
): { dates: string[]; columns: number[][] } {
  const missingRows = new Set<number>();
  for (const col of columns) {
    col.forEach((v, r) => {
      if (v === null || !Number.isFinite(v)) {
        report.missingCells++;
        missingRows.add(r);
      }
    });
  }
  if (report.missingCells === 0) return { dates, columns: columns as number[][] };
  if (policy === "error") {
    const firstRow = Math.min(...missingRows);
    const column = names[columns.findIndex((col) => col[firstRow] === null || !Number.isFinite(col[firstRow] as number))];
    throw new DataError(
      `${report.missingCells} missing values in the selected columns (first: ${column} on ${dates[firstRow]})`,
      'set data.gapPolicy to "drop", "ffill" or "interpolate", or fix the dataset',
      "data.gapPolicy",
    );
  }
  // Rows before the first complete value of any column cannot be filled by any policy: drop them.
  let keepFrom = 0;
  for (const col of columns) {
    const firstValue = col.findIndex((v) => v !== null && Number.isFinite(v));
    keepFrom = Math.max(keepFrom, firstValue < 0 ? col.length : firstValue);
  }
  const keep = (r: number) => r >= keepFrom && (policy !== "drop" || !missingRows.has(r));
  const kept = dates.map((_, r) => r).filter(keep);
  report.droppedDates = dates.filter((_, r) => !keep(r));
  const filledColumns = columns.map((col) => {
    const out: number[] = [];
    for (const r of kept) {
      const v = col[r];
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        out.push(v);
        continue;
      }
      report.filledCells++;
      out.push(policy === "ffill" ? (out[out.length - 1] as number) : interpolateAt(col, r));
    }
    return out;
  });
  return { dates: kept.map((r) => dates[r] as string), columns: filledColumns };
}

function interpolateAt(col: (number | null)[], r: number): number {
  const isValue = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
  let before = r - 1;
  while (before >= 0 && !isValue(col[before])) before--;
  let after = r + 1;
  while (after < col.length && !isValue(col[after])) after++;
  const left = col[before] as number;
  if (after >= col.length) return left;
  const right = col[after] as number;
  return left + ((right - left) * (r - before)) / (after - before);
}

function applyTransform(
  dates: string[],
  columns: number[][],
  names: string[],
  transform: DataSpec["transform"],
): { dates: string[]; columns: number[][] } {
  if (transform === "none") return { dates, columns };
  if (transform === "log" || transform === "logReturn") {
    columns.forEach((col, c) => {
      const bad = col.findIndex((v) => v <= 0);
      if (bad >= 0) {
        throw new DataError(
          `transform "${transform}" needs positive values, but ${names[c]} is ${col[bad]} on ${dates[bad]}`,
          'use transform "diff" or "none" for this column set',
          "data.transform",
        );
      }
    });
  }
  if (transform === "log") return { dates, columns: columns.map((col) => col.map(Math.log)) };
  const step = transform === "diff" ? (a: number, b: number) => b - a : (a: number, b: number) => Math.log(b / a);
  return {
    dates: dates.slice(1),
    columns: columns.map((col) => col.slice(1).map((v, i) => step(col[i] as number, v))),
  };
}
