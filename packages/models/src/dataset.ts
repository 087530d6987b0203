/**
 * A dataset: numeric columns on an ascending, unique date index.
 * `null` marks a missing observation. Plain arrays so it crosses JSON
 * (API, Web Worker) unchanged.
 */
export interface Dataset {
  name: string;
  description?: string;
  /** Where it came from: "vega-datasets/sp500-2000.csv", "upload:prices.csv". */
  source: string;
  /** ISO dates (YYYY-MM-DD), ascending, no repeats. */
  dates: string[];
  /** Column name -> one value per date. */
  columns: Record<string, (number | null)[]>;
}

export type Frequency = "daily" | "business-daily" | "weekly" | "monthly" | "quarterly" | "yearly" | "irregular";
