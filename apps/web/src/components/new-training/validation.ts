import { startTrainingInput } from "@hindcast/api/schemas";
import { issuePath } from "@hindcast/contracts";
import type { z } from "zod";
import { valueAt } from "./draft";

/** Dotted field path ("spec.train.epochs") -> what is wrong with it. */
export type FieldErrors = Record<string, string>;

export type StartInput = z.output<typeof startTrainingInput>;

/** Zod's wording, said in terms of what the person typed. */
export function explain(issue: z.core.$ZodIssue, typed: unknown): string {
  if (typed === "" || (Array.isArray(typed) && typed.length === 0 && issue.code === "too_small")) return "required";
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "number") return "must be a number";
      if (issue.expected === "int") return "must be a whole number";
      if (issue.expected === "array") return "use a comma-separated list of whole numbers, e.g. 64, 64";
      return issue.message;
    case "too_small":
      return issue.origin === "number" ? `must be ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}` : issue.message;
    case "too_big":
      return issue.origin === "number" ? `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}` : issue.message;
    case "invalid_value":
      return `choose one of ${issue.values.map(String).join(", ")}`;
    case "invalid_union":
      return "choose a model family";
    default:
      return issue.message;
  }
}

/** The draft checked by the same schema the API uses: every problem at once, or the input to send. */
export function validateDraft(draft: unknown): { errors: FieldErrors; input?: StartInput } {
  const result = startTrainingInput.safeParse(draft);
  if (result.success) return { errors: {}, input: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issuePath(issue.path);
    errors[path] ??= explain(issue, valueAt(draft, path));
  }
  return { errors };
}

/** The error of a field, or of any item inside it ("spec.model.hidden.1"), prefixed with the item's place. */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const inner = Object.keys(errors).find((key) => key.startsWith(`${path}.`));
  if (!inner) return undefined;
  const place = inner.slice(path.length + 1);
  return `${/^\d+$/.test(place) ? `item ${Number(place) + 1}` : place}: ${errors[inner]}`;
}
