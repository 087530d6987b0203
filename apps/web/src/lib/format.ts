/** "1h 2m", "3m 4s", "12s", "0.4s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  // Short stages and replays take fractions of a second: "0.4s" says more than "0s".
  if (seconds < 9.95) return `${Math.max(0, seconds).toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${s}s`;
}

/**
 * Formatters in the reader's locale: `undefined` is the runtime's own (the
 * browser's language), never a fixed one. The server never renders a date
 * or a metric (every page loads its data in the browser), so its locale
 * cannot reach the page or break hydration. One formatter per locale and
 * kind: toLocaleString builds a new one per call (~45x slower), which shows in
 * tables of thousands of rows. `locale` is for tests.
 */
function memo<T>(make: (locale: string | undefined) => T): (locale?: string) => T {
  const made = new Map<string | undefined, T>();
  return (locale) => {
    let formatter = made.get(locale);
    if (!formatter) {
      formatter = make(locale);
      made.set(locale, formatter);
    }
    return formatter;
  };
}

const numberFormat = memo((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }));
const scientificFormat = memo((locale) => new Intl.NumberFormat(locale, { notation: "scientific", maximumSignificantDigits: 4 }));
const countFormat = memo((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }));
// Percentages ungrouped: "−1230.5%" reads as one number.
const tenthFormat = memo(
  (locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }),
);
const dateFormat = memo((locale) => new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" }));
const timeFormat = memo((locale) => new Intl.DateTimeFormat(locale, { timeStyle: "medium" }));

/** Metric values with 4 significant digits; "—" for none. */
export function formatNumber(value: number | null | undefined, locale?: string): string {
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return scientificFormat(locale).format(value);
  return numberFormat(locale).format(Number(value.toPrecision(4)));
}

/** Whole counts (rows, runs, points) with the locale's grouping: "12,345" or "12.345". */
export function formatCount(value: number, locale?: string): string {
  return countFormat(locale).format(value);
}

/** A size in bytes with its binary unit: "512 B", "4.2 MiB"; "—" for none. */
export function formatBytes(bytes: number | null, locale?: string): string {
  if (bytes === null) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? formatCount(value, locale) : formatTenths(value, locale)} ${units[unit]}`;
}

/** A number with one decimal, ungrouped: "3.4", "3,4" in German. */
export function formatTenths(value: number, locale?: string): string {
  return tenthFormat(locale).format(value);
}

/** A moment (created, started, last used) as the reader's locale writes a short date and time. */
export function formatDate(value: Date | string | null | undefined, locale?: string): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  return dateFormat(locale).format(date);
}

/** The time of day of a moment (log lines), in the reader's locale. */
export function formatTime(value: Date, locale?: string): string {
  return timeFormat(locale).format(value);
}

/** Params values for table cells: arrays and objects as JSON. */
export function formatParam(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Skill as a signed percentage; JSON turns Infinity and NaN into null, shown as "—". */
export function formatSkill(skill: number | null | undefined, locale?: string): string {
  if (skill === null || skill === undefined || !Number.isFinite(skill)) return "—";
  return `${skill > 0 ? "+" : skill < 0 ? "−" : ""}${formatTenths(Math.abs(skill * 100), locale)}%`;
}

/** A share in 0..1 (coverage, accuracy) as a percentage: "93.1%"; "—" for none. */
export function formatShare(share: number | null | undefined, locale?: string): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  return `${formatTenths(share * 100, locale)}%`;
}
