import { listDatasets, loadDataset } from "@hindcast/db";
import { DataError, type Dataset } from "@hindcast/models";
import type pg from "pg";
import { builtinDatasets, loadBuiltinDataset } from "./builtin";

export interface DatasetSummary {
  name: string;
  description: string;
  builtin: boolean;
  frequency: string;
  columns: string[];
  start: string | null;
  end: string | null;
  rows: number | null;
}

/** Built-in datasets, then the ones imported into PostgreSQL. */
export async function listAllDatasets(pool: pg.Pool): Promise<DatasetSummary[]> {
  const stored = await listDatasets(pool);
  return [
    ...builtinDatasets.map((d) => ({
      name: d.name,
      description: d.description,
      builtin: true,
      frequency: d.frequency,
      columns: d.columns.map((c) => c.name),
      start: d.dateRange.start,
      end: d.dateRange.end,
      rows: null,
    })),
    ...stored.map((d) => ({
      name: d.name,
      description: d.description ?? "",
      builtin: false,
      frequency: d.frequency ?? "irregular",
      columns: d.columns,
      start: d.startDate,
      end: d.endDate,
      rows: d.rowCount,
    })),
  ];
}

/** Loads a dataset by name from the built-ins or PostgreSQL; the error lists what exists. */
export async function loadAnyDataset(pool: pg.Pool, name: string): Promise<Dataset> {
  if (builtinDatasets.some((d) => d.name === name)) return loadBuiltinDataset(name);
  const stored = await loadDataset(pool, name);
  if (stored) return stored;
  const names = (await listAllDatasets(pool)).map((d) => d.name);
  throw new DataError(`unknown dataset "${name}"`, `use one of: ${names.join(", ")}`, "data.dataset");
}
