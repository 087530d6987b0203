import { isUserFacingError, UserFacingError } from "@hindcast/contracts";
import { classifyError, type ErrorClass, errorMessage, errorName } from "@hindcast/engine";
import { DataError } from "@hindcast/models";
import type { TransferredError } from "./protocol";

/** An error as it leaves one process: its class decided there, a user error's fix and field kept apart. */
export function transferError(error: unknown): TransferredError {
  const transferred = { name: errorName(error), message: errorMessage(error), errorClass: classifyError(error) };
  return isUserFacingError(error) ? { ...transferred, user: { message: error.message, fix: error.fix, path: error.path } } : transferred;
}

/** The engine's error names by class (classifyError reads names across realms); a bug keeps its own. */
const classNames: Partial<Record<ErrorClass, string>> = {
  transient: "TransientError",
  divergence: "DivergenceError",
  out_of_memory: "OutOfMemoryError",
  invalid_input: "InvalidInputError",
  cancelled: "CancelledError",
};

/** The error rebuilt on the other side, so that the engine treats it as it would have treated the original. */
export function rebuildError(error: TransferredError): Error {
  const { user } = error;
  if (user) {
    // The stages turn a DataError (a dataset that is not there, or not usable) into the run's invalid input.
    if (error.name === "DataError") return new DataError(user.message, user.fix, user.path);
    return new UserFacingError(user.message, user.fix, { path: user.path });
  }
  return Object.assign(new Error(error.message), { name: classNames[error.errorClass] ?? error.name });
}
