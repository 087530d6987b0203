/**
 * Fewer points than this in a retrodiction window judge a forecast by a
 * handful of errors: on monthly data 60-day windows hold 2 points each, and
 * a skill of -131% says nothing about the model.
 */
export const minPointsPerWindow = 10;

const msPerDay = 86_400_000;

/** What the datasets list says about a dataset's size. */
export interface DatasetExtent {
  rows: number | null;
  start: string | null;
  end: string | null;
}

/** Calendar days between consecutive rows, on average over the dataset (weekends and gaps included); null when unknown. */
function daysPerRow(dataset: DatasetExtent): number | null {
  if (!dataset.rows || dataset.rows < 2 || !dataset.start || !dataset.end) return null;
  const span = (Date.parse(`${dataset.end}T00:00:00Z`) - Date.parse(`${dataset.start}T00:00:00Z`)) / msPerDay;
  return span > 0 ? span / (dataset.rows - 1) : null;
}

/** About how many rows a retrodiction window of `batchSizeDays` calendar days holds; null when unknown. */
export function pointsPerWindow(dataset: DatasetExtent, batchSizeDays: number): number | null {
  const spacing = daysPerRow(dataset);
  return spacing === null ? null : Math.round(batchSizeDays / spacing);
}

/** The shortest window, in days, that holds about `minPointsPerWindow` rows of the dataset. */
export function daysForEnoughPoints(dataset: DatasetExtent): number | null {
  const spacing = daysPerRow(dataset);
  return spacing === null ? null : Math.ceil(minPointsPerWindow * spacing);
}
