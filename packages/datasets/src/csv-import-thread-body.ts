import { parentPort, workerData } from "node:worker_threads";
import { type CsvImportOptions, importCsv } from "./csv-import";
import { CsvImportError } from "./errors";

const { text, options } = workerData as { text: string; options: CsvImportOptions };
try {
  parentPort?.postMessage({ imported: importCsv(text, options) });
} catch (error) {
  if (!(error instanceof CsvImportError)) throw error;
  parentPort?.postMessage({ refused: { message: error.message, fix: error.fix, problems: error.problems, path: error.path } });
}
