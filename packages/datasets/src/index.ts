export { builtinDatasets, loadBuiltinDataset } from "./builtin";
export type { BuiltinColumn, BuiltinDatasetInfo } from "./builtin-catalog";
export { type DatasetSummary, listAllDatasets, loadAnyDataset } from "./catalog";
export { type CsvImportOptions, type CsvImportResult, importCsv } from "./csv-import";
export { importCsvOffThread } from "./csv-import-off-thread";
export { maxDatasetCells } from "./csv-records";
export type { DateFormatChoice } from "./date-order";
export { type CsvDateFormat, csvDateFormats } from "./dates";
export { CsvImportError } from "./errors";
export {
  type CsvImportReport,
  type IgnoredColumn,
  type InvalidCell,
  listedReport,
  MAX_LISTED_PROBLEMS,
  type RejectedRow,
  type RejectionReason,
  summarizeReport,
} from "./report";
export type { UnsortedPolicy } from "./row-order";
