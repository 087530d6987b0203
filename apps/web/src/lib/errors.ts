import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  issues?: { path: string; message: string }[] | null;
}

function data(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

export function isAuthError(error: unknown): boolean {
  return data(error)?.code === "UNAUTHORIZED";
}

/** Field path -> message, from the API's zod issues or a "path: message" error line. */
export function fieldErrors(error: unknown): Record<string, string> {
  const issues = data(error)?.issues;
  if (issues?.length) return Object.fromEntries(issues.map((i) => [i.path, i.message]));
  const message = error instanceof Error ? error.message : "";
  const match = message.match(/^([\w.]+): (.*)$/s);
  return match ? { [match[1] as string]: match[2] as string } : {};
}

/** One line for a banner: the API's message, never a stack. */
export function errorMessage(error: unknown): string {
  const issues = data(error)?.issues;
  if (issues?.length) return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return error instanceof Error ? error.message : String(error);
}
