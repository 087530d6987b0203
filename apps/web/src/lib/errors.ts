import { issueLine, isUserFacingError } from "@hindcast/contracts";
import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  issues?: { path: string; message: string }[] | null;
  /** The input field a user error belongs to ("spec.data.target"), null when it belongs to none. */
  path?: string | null;
  fix?: string | null;
}

function data(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

export function isAuthError(error: unknown): boolean {
  return data(error)?.code === "UNAUTHORIZED";
}

/** Field path -> message, from the API's zod issues or the field its user error names. */
export function fieldErrors(error: unknown): Record<string, string> {
  const answer = data(error);
  if (answer?.issues?.length) return Object.fromEntries(answer.issues.map((i) => [i.path, i.message]));
  return answer?.path && error instanceof Error ? { [answer.path]: error.message } : {};
}

/** One line for a banner: the API's message (a user error's with its fix), never a stack. */
export function errorMessage(error: unknown): string {
  const issues = data(error)?.issues;
  if (issues?.length) return issues.map(issueLine).join("; ");
  if (isUserFacingError(error)) return error.toLine();
  return error instanceof Error ? error.message : String(error);
}

/** `error` when none of a form's `fields` shows a message from `errors`, for a banner above the submit button; else null. */
export function unplacedError(error: unknown, errors: Record<string, string>, fields: readonly string[]): unknown {
  return fields.some((field) => errors[field]) ? null : error;
}
