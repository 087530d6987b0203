import { UserFacingError } from "@hindcast/contracts";

/** A problem with the spec or the data that the user must fix; raised before training starts. `path` is the spec field ("data.target"). */
export class DataError extends UserFacingError {
  constructor(message: string, fix: string, path?: string) {
    super(message, fix, { path });
    this.name = "DataError";
  }
}
