import { Worker } from "node:worker_threads";
import type { CsvImportOptions, CsvImportResult } from "./csv-import";
import { CsvImportError } from "./errors";

type Answer = { imported: CsvImportResult } | { refused: Pick<CsvImportError, "message" | "fix" | "problems" | "path"> };

/**
 * importCsv in a worker thread: parsing tens of millions of characters takes
 * seconds of CPU, which on the server's own thread would stall every other
 * request and live stream for as long. Throws the same CsvImportError.
 */
export function importCsvOffThread(text: string, options: CsvImportOptions): Promise<CsvImportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./csv-import-thread.mjs", import.meta.url), { workerData: { text, options } });
    worker.once("message", (answer: Answer) => {
      if ("imported" in answer) resolve(answer.imported);
      else {
        const { message, fix, problems, path } = answer.refused;
        reject(new CsvImportError(message, fix, { problems, path }));
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the CSV import thread exited with code ${code} before answering`)));
  });
}
