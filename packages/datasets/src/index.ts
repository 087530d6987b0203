export { builtinDatasets, loadBuiltinDataset } from "./builtin.js";
export type { BuiltinColumn, BuiltinDatasetInfo } from "./builtin-catalog.js";
export { type DatasetSummary, listAllDatasets, loadAnyDataset } from "./catalog.js";
export { type CsvImportOptions, type CsvImportResult, importCsv } from "./csv-import.js";
export { importCsvOffThread } from "./csv-import-off-thread.js";
export { maxDatasetCells } from "./csv-records.js";
export type { DateFormatChoice } from "./date-order.js";
export { type CsvDateFormat, csvDateFormats } from "./dates.js";
export { CsvImportError } from "./errors.js";
export {
  type CsvImportReport,
  type IgnoredColumn,
  type InvalidCell,
  listedReport,
  MAX_LISTED_PROBLEMS,
  type RejectedRow,
  type RejectionReason,
  summarizeReport,
} from "./report.js";
export type { UnsortedPolicy } from "./row-order.js";
