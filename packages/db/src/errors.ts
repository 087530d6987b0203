/**
 * An error the user can fix: bad configuration, unreachable server, a changed
 * migration. Entry points print `message` and `fix` on one line, no stack.
 */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UserFacingError";
  }

  toLine(): string {
    return `${this.message}. Fix: ${this.fix}`;
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}
