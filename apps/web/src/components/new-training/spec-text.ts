import { parse, stringify, YAMLParseError } from "yaml";

export type SpecFormat = "yaml" | "json";

export function printSpec(spec: unknown, format: SpecFormat): string {
  return format === "json" ? `${JSON.stringify(spec, null, 2)}\n` : stringify(spec, { lineWidth: 0 });
}

/** Line and column of a character offset, 1-based. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The spec written as YAML or JSON, or what is wrong with the text and on which line; `notMapping` says what else it must be. */
export function parseSpec(
  text: string,
  format: SpecFormat,
  notMapping = "The spec must be a mapping with data, window, model, train and retrodiction",
): { spec: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = format === "json" ? JSON.parse(text) : parse(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const reason = error.message.split(" at line ")[0] ?? error.message;
      return { error: at ? `Line ${at.line}, column ${at.col}: ${reason}` : reason };
    }
    const message = error instanceof Error ? error.message : String(error);
    // V8 says "... in JSON at position 42 (line 3 column 5)"; the offset is the part every version has.
    const offset = message.match(/at position (\d+)/)?.[1];
    // Some versions echo the whole text instead: `Unexpected token '}', "{ ... }" is not valid JSON`.
    const reason = message.replace(/ in JSON at position.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
    if (offset === undefined) return { error: reason };
    const { line, column } = lineColumn(text, Number(offset));
    return { error: `Line ${line}, column ${column}: ${reason}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { error: notMapping };
  }
  return { spec: value as Record<string, unknown> };
}
