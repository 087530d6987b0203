import { UserFacingError } from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "./client";
import type { Dataset } from "./generated/prisma/client";
import { withTransaction } from "./runs/transaction";

/** Numeric columns on an ascending date index (the shape @hindcast/models trains on). */
export interface StoredDataset {
  name: string;
  description?: string;
  source: string;
  frequency?: string;
  dates: string[];
  columns: Record<string, (number | null)[]>;
}

/** Stores (or replaces) a dataset and its rows in one transaction; rows go in one unnest INSERT. */
export function saveDataset(pool: pg.Pool, dataset: StoredDataset): Promise<string> {
  const names = Object.keys(dataset.columns);
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO "Dataset" ("id", "name", "description", "source", "frequency", "columns", "rowCount", "startDate", "endDate")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ("name") DO UPDATE SET "description" = excluded."description", "source" = excluded."source", "frequency" = excluded."frequency",
         "columns" = excluded."columns", "rowCount" = excluded."rowCount", "startDate" = excluded."startDate", "endDate" = excluded."endDate"
       RETURNING "id"`,
      [
        dataset.name,
        dataset.description ?? null,
        dataset.source,
        dataset.frequency ?? null,
        names,
        dataset.dates.length,
        dataset.dates[0] ?? null,
        dataset.dates.at(-1) ?? null,
      ],
    );
    const id = (rows[0] as { id: string }).id;
    await db.query(`DELETE FROM "DatasetRow" WHERE "datasetId" = $1`, [id]);
    // Each row's values as a Postgres array literal, so one text[] parameter carries them all.
    const literals = dataset.dates.map((_, r) => `{${names.map((c) => (dataset.columns[c] as (number | null)[])[r] ?? "NULL").join(",")}}`);
    await db.query(
      `INSERT INTO "DatasetRow" ("datasetId", "date", "values") SELECT $1, d, v::float8[] FROM unnest($2::date[], $3::text[]) AS u(d, v)`,
      [id, dataset.dates, literals],
    );
    return id;
  });
}

/** A Date column's value as the date it stores (YYYY-MM-DD); Prisma reads a date as midnight UTC. */
const isoDate = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

/** A stored dataset by name; undefined when there is none. */
export async function loadDataset(pool: pg.Pool, name: string): Promise<StoredDataset | undefined> {
  const dataset = await prismaOf(pool).dataset.findUnique({
    where: { name },
    select: { id: true, description: true, source: true, frequency: true, columns: true },
  });
  if (!dataset) return undefined;
  // Rows stay plain SQL: Prisma types Float[] as number[], where a stored row holds NULL for a missing value.
  const { rows } = await pool.query<{ date: string; values: (number | null)[] }>(
    `SELECT to_char("date", 'YYYY-MM-DD') AS date, "values" FROM "DatasetRow" WHERE "datasetId" = $1 ORDER BY "date"`,
    [dataset.id],
  );
  const columns = Object.fromEntries(dataset.columns.map((c, i) => [c, rows.map((row) => row.values[i] ?? null)]));
  return {
    name,
    source: dataset.source,
    dates: rows.map((row) => row.date),
    columns,
    ...(dataset.description ? { description: dataset.description } : {}),
    ...(dataset.frequency ? { frequency: dataset.frequency } : {}),
  };
}

export type DatasetListing = Pick<Dataset, "name" | "description" | "source" | "frequency" | "columns" | "rowCount"> & {
  /** First and last date (YYYY-MM-DD); null for an empty dataset. */
  startDate: string | null;
  endDate: string | null;
};

/** Every stored dataset's metadata, by name. */
export async function listDatasets(pool: pg.Pool): Promise<DatasetListing[]> {
  const datasets = await prismaOf(pool).dataset.findMany({
    select: { name: true, description: true, source: true, frequency: true, columns: true, rowCount: true, startDate: true, endDate: true },
    orderBy: { name: "asc" },
  });
  return datasets.map((d) => ({ ...d, startDate: isoDate(d.startDate), endDate: isoDate(d.endDate) }));
}

export function assertDatasetName(name: string): void {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) {
    throw new UserFacingError(
      `Dataset name "${name}" is not allowed`,
      "use lower-case letters, digits and _ (starting with a letter), at most 63 characters",
      { path: "name" },
    );
  }
}
