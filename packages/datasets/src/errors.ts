/** A CSV that cannot be imported at all. The message is one self-contained line naming the problem and the fix. */
export class CsvImportError extends Error {
  override readonly name = "CsvImportError";
  readonly problems: string[];
  /** The upload input to change: the file, or the named date format when the file does not settle the order of its dates. */
  readonly field: "csv" | "dateFormat";

  constructor(message: string, problems: string[] = [message], field: "csv" | "dateFormat" = "csv") {
    super(message);
    this.problems = problems;
    this.field = field;
  }
}
