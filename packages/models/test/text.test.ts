import { describe, expect, it } from "vitest";
import { controlCharacterIn, plainText } from "../src/text";

describe("plain text", () => {
  it("refuses control characters and the invisible marks that disguise a name", () => {
    expect(controlCharacterIn("run\u0000")).toBe("U+0000 at position 4");
    expect(controlCharacterIn("a\u0085b")).toBe("U+0085 at position 2");
    expect(controlCharacterIn("report\u202Etxt.exe")).toBe("U+202E at position 7");
    expect(controlCharacterIn("\uFEFFname")).toBe("U+FEFF at position 1");
    expect(controlCharacterIn("a\u2066b")).toBe("U+2066 at position 2");
  });

  it("keeps ordinary Unicode, and line breaks where text may span lines", () => {
    expect(controlCharacterIn("Zürich 東京 👩‍🔬")).toBeUndefined();
    expect(controlCharacterIn("line one\nline two\tend", { multiline: true })).toBeUndefined();
    expect(controlCharacterIn("line one\nline two")).toBe("U+000A at position 9");
  });

  it("refuses half of a surrogate pair, which would be stored as another character", () => {
    expect(plainText().safeParse("a\ud800b").error?.issues[0]?.message).toMatch(/valid Unicode/);
    expect(plainText().safeParse("\udc00").success).toBe(false);
    expect(plainText().safeParse("😀").success).toBe(true);
  });
});
