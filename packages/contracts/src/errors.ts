import type { z } from "zod";

/** The HTTP statuses a user error is answered with. */
export type UserErrorStatus = 400 | 403 | 404 | 409 | 429;

/**
 * An error the user can fix: bad input, bad configuration, an unreachable
 * server. `fix` says what to do; `path` names the input field it belongs to
 * ("spec.train.epochs"), so a form can put it beside that field. Entry points
 * print `toLine()`; the API answers 4xx (`status`) with all three.
 */
export class UserFacingError extends Error {
  readonly fix: string;
  readonly path: string | undefined;
  /** 400; a subclass says 403, 404, 409 or 429. */
  readonly status: UserErrorStatus = 400;

  constructor(message: string, fix: string, options?: { cause?: unknown; path?: string }) {
    super(message, options);
    this.name = "UserFacingError";
    this.fix = fix;
    this.path = options?.path;
  }

  toLine(): string {
    return this.fix ? `${this.message}. Fix: ${this.fix}` : this.message;
  }
}

/** Something named in the request (a run, a user, a token) does not exist. */
export class NotFoundError extends UserFacingError {
  override readonly status = 404;
}

/** The request clashes with what exists: a name taken, a run still active. */
export class ConflictError extends UserFacingError {
  override readonly status = 409;
}

/** The caller's role does not allow this request as made. */
export class ForbiddenError extends UserFacingError {
  override readonly status = 403;
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}

/** A zod issue path as one dotted string ("train.epochs", "windows.0.from"). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** One problem as a line: "path: message", or the message alone when it belongs to no field. */
export function issueLine(issue: { path: string; message: string }): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** Every problem of a failed parse, one "path: message" line each; `prefix` puts the parsed value's own place in front. */
export function zodIssueLines(error: z.ZodError, prefix = ""): string[] {
  return error.issues.map((issue) => issueLine({ path: issuePath(prefix ? [prefix, ...issue.path] : issue.path), message: issue.message }));
}
