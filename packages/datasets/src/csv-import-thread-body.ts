import { parentPort, workerData } from "node:worker_threads";
import { type CsvImportOptions, importCsv } from "./csv-import.js";
import { CsvImportError } from "./errors.js";

const { text, options } = workerData as { text: string; options: CsvImportOptions };
try {
  parentPort?.postMessage({ imported: importCsv(text, options) });
} catch (error) {
  if (!(error instanceof CsvImportError)) throw error;
  parentPort?.postMessage({ refused: { message: error.message, problems: error.problems, field: error.field } });
}
