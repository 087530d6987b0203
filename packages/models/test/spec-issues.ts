import { issuePath } from "@hindcast/contracts";
import type { z } from "zod";

/** Every problem of a spec, each with its path ("train.epochs"; "(spec)" for the spec itself). */
export function specIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path) || "(spec)", message: issue.message }));
}
