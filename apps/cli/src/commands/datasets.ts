import { readFileSync } from "node:fs";
import path from "node:path";
import type { ApiClient } from "../client";
import { CliError } from "../errors.mjs";
import { print, withClient } from "../session";

/** `datasets list`: name, frequency, date range, origin and columns of each dataset. */
export function listDatasets(serverOption: string | undefined, options: { json: boolean }): Promise<number> {
  return withClient(serverOption, async (client) => {
    const list = await client.datasets.list.query();
    print(list, options.json, () =>
      list
        .map(
          (d) =>
            `${d.name.padEnd(24)} ${d.frequency.padEnd(15)} ${d.start}..${d.end}  ${d.builtin ? "built-in" : "imported"}  ${d.columns.join(", ")}`,
        )
        .join("\n"),
    );
  });
}

export interface ImportOptions {
  name?: string;
  description?: string;
  dateColumn?: string;
  pivotBy?: string;
  onUnsorted: "sort" | "reject";
  /** Checked by the server against its formats (csvDateFormats). */
  dateFormat?: NonNullable<Parameters<ApiClient["datasets"]["upload"]["mutate"]>[0]["dateFormat"]>;
  json: boolean;
}

/** `datasets import`: uploads a CSV file (checked against the server's size limit first) and prints the import report. */
export function importDataset(serverOption: string | undefined, file: string, options: ImportOptions): Promise<number> {
  return withClient(serverOption, async (client) => {
    const csv = readCsvFile(file);
    const { maxUploadCsvChars } = await client.datasets.limits.query();
    if (csv.length > maxUploadCsvChars) {
      throw new CliError(
        `${file} is larger than the server's limit of ${maxUploadCsvChars / 1_000_000} MB. Fix: split it into smaller files`,
      );
    }
    const name = options.name ?? path.basename(file).replace(/\.csv$/i, "");
    const result = await client.datasets.upload.mutate({
      name,
      csv,
      description: options.description,
      dateColumn: options.dateColumn,
      pivotBy: options.pivotBy,
      onUnsorted: options.onUnsorted,
      dateFormat: options.dateFormat,
    });
    print(result, options.json, () => [`Imported ${result.name}:`, ...result.summary.map((line) => `  ${line}`)].join("\n"));
  });
}

function readCsvFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix: check the path`);
  }
}
