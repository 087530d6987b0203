import { UserFacingError } from "@hindcast/contracts";

/** The import input a CSV problem belongs to: the file itself, or the option that picked part of it. */
export type CsvImportField = "csv" | "dateFormat" | "dateColumn" | "pivotBy" | "columns";

/** A CSV that cannot be imported at all: one line naming the problem and the fix; `path` is the input to change. */
export class CsvImportError extends UserFacingError {
  override readonly name = "CsvImportError";
  /** Every offending line or cell, capped, for a report; one problem is the message itself. */
  readonly problems: string[];
  declare readonly path: CsvImportField;

  constructor(message: string, fix: string, options: { problems?: string[]; path?: CsvImportField } = {}) {
    super(message, fix, { path: options.path ?? "csv" });
    this.problems = options.problems ?? [message];
  }
}
