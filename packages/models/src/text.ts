import { z } from "zod";

/**
 * C0 and C1 controls, DEL, and the invisible marks that reorder or hide text
 * (bidirectional overrides and isolates, left/right marks, the byte-order
 * mark): none belongs in a name, key or search, and the last ones let a name
 * pass for another in the dashboard ("exe.txt" shown for "txt.exe").
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job.
const forbidden = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const lineBreaksAndTabs = new Set(["\t", "\n", "\r"]);
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first character no text input may hold, as "U+0000 at position 3", or
 * undefined when there is none. PostgreSQL refuses NUL in text and jsonb;
 * `multiline` text (descriptions) may keep tabs and line breaks.
 */
export function controlCharacterIn(text: string, { multiline = false } = {}): string | undefined {
  for (const match of text.matchAll(forbidden)) {
    if (multiline && lineBreaksAndTabs.has(match[0])) continue;
    return `U+${(match[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")} at position ${match.index + 1}`;
  }
  return undefined;
}

/** A string without control characters or broken UTF-16: what every text input of the API and the spec is built on. */
export function plainText(options: { multiline?: boolean } = {}) {
  return z.string().superRefine((text, ctx) => {
    const found = controlCharacterIn(text, options);
    if (found) ctx.addIssue({ code: "custom", message: `must not contain control characters (found ${found})` });
    // A lone surrogate would be stored as U+FFFD: the name saved would not be the name sent.
    else if (loneSurrogate.test(text))
      ctx.addIssue({ code: "custom", message: "must be valid Unicode (it holds half of a surrogate pair)" });
  });
}
