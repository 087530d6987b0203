/** A problem with the spec or the data that the user must fix; raised before training starts. */
export class DataError extends Error {
  constructor(
    message: string,
    /** What to change, for the one-line error shown to the user. */
    readonly fix: string,
    /** Spec path the problem belongs to ("data.target"). */
    readonly path?: string,
  ) {
    super(message);
    this.name = "DataError";
  }
}
