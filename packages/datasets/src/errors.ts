/** A CSV that cannot be imported at all. The message is one self-contained line naming the problem and the fix. */
export class CsvImportError extends Error {
  override readonly name = "CsvImportError";
  readonly problems: string[];

  constructor(message: string, problems: string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}
