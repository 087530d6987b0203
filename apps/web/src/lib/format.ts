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

// One formatter each: toLocaleString builds a new one per call (~45x slower), which shows in tables of thousands of rows.
const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "medium" });

/** Metric values with 4 significant digits; "—" for none. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return numberFormat.format(Number(value.toPrecision(4)));
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  return dateFormat.format(date);
}

/** Params values for table cells: arrays and objects as JSON. */
export function formatParam(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Skill as a signed percentage; JSON turns Infinity and NaN into null, shown as "—". */
export function formatSkill(skill: number | null | undefined): string {
  if (skill === null || skill === undefined || !Number.isFinite(skill)) return "—";
  return `${skill > 0 ? "+" : skill < 0 ? "−" : ""}${Math.abs(skill * 100).toFixed(1)}%`;
}

/** A share in 0..1 (coverage, accuracy) as a percentage: "93.1%"; "—" for none. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  return `${(share * 100).toFixed(1)}%`;
}
