import { UserFacingError } from "@hindcast/contracts";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { errorMessage, fieldErrors, unplacedError } from "../src/lib/errors";
import { toggled } from "../src/lib/toggled";

/** An API answer as the tRPC client hands it over: the message, with the formatter's data. */
const answer = (message: string, data: Record<string, unknown>) =>
  TRPCClientError.from({ error: { message, code: -32600, data: { code: "BAD_REQUEST", httpStatus: 400, issues: null, ...data } } });

describe("an API error on a form", () => {
  it("lands on the field its data names, the message whole", () => {
    const refused = answer('"close" is not a column of prices. Fix: use one of price, volume', {
      path: "spec.data.target",
      fix: "use one of price, volume",
    });
    expect(fieldErrors(refused)).toEqual({ "spec.data.target": '"close" is not a column of prices. Fix: use one of price, volume' });
  });

  it("takes each zod issue to its own field", () => {
    const issues = [
      { path: "spec.train.epochs", message: "must be more than 0" },
      { path: "", message: "the spec is empty" },
    ];
    const refused = answer("bad input", { issues, path: null, fix: null });
    expect(fieldErrors(refused)).toEqual({ "spec.train.epochs": "must be more than 0", "": "the spec is empty" });
    expect(errorMessage(refused)).toBe("spec.train.epochs: must be more than 0; the spec is empty");
  });

  it("reads no field out of the text: a message that looks like 'field: problem' stays unplaced", () => {
    const refused = answer("name: looks like a field", { path: null, fix: null });
    expect(fieldErrors(refused)).toEqual({});
    expect(errorMessage(refused)).toBe("name: looks like a field");
  });

  it("shows a user error raised in the browser with its fix", () => {
    expect(errorMessage(new UserFacingError("Run r1 is CANCELLED", "pick another run"))).toBe("Run r1 is CANCELLED. Fix: pick another run");
  });
});

describe("an error no field of the form shows", () => {
  it("goes to the banner only when none of the form's fields has a message", () => {
    const error = new Error("refused");
    expect(unplacedError(error, { name: "taken" }, ["name", "email"])).toBeNull();
    expect(unplacedError(error, { other: "elsewhere" }, ["name", "email"])).toBe(error);
    expect(unplacedError(error, {}, ["name"])).toBe(error);
  });
});

describe("toggling a selection", () => {
  it("adds what is not in, removes what is, and leaves the original alone", () => {
    const original = new Set(["a"]);
    expect([...toggled(original, "b")]).toEqual(["a", "b"]);
    expect([...toggled(original, "a")]).toEqual([]);
    expect([...original]).toEqual(["a"]);
  });
});
