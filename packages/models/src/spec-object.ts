import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";

/** The known field a misspelled key most likely meant, when it is close enough to be a typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const guess = closest(
    key.toLowerCase(),
    known.map((k) => k.toLowerCase()),
  );
  const match = known.find((k) => k.toLowerCase() === guess) as string;
  // A third of the letters may differ: "epocs" is epochs, but "x" is not p.
  const limit = Math.floor(Math.max(key.length, match.length) / 3);
  return distance(key.toLowerCase(), guess) <= limit ? match : undefined;
}

/** One message for the keys an object of the spec does not have, each with its likely meaning. */
function unknownFieldsMessage(keys: readonly string[], known: readonly string[], where: string): string {
  const each = keys.map((key) => {
    const guess = didYouMean(key, known);
    return guess ? `"${key}" (did you mean ${guess}?)` : `"${key}"`;
  });
  return `has no field ${each.join(", ")}; the fields of ${where} are ${[...known].sort().join(", ")}`;
}

/**
 * An object of the spec: strict, so a misspelled key is an error naming it
 * (and the field it most likely meant) instead of being dropped in silence
 * while its default runs. `where` names the object in that message.
 */
export function specObject<Shape extends z.core.$ZodLooseShape>(where: string, shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? unknownFieldsMessage(issue.keys, known, where) : undefined),
  });
}
