import { runStatuses } from "@hindcast/contracts";
import { describe, expect, it } from "vitest";
import { RunStatus } from "../src/generated/prisma/enums";

describe("the database's enums and the contracts", () => {
  it("name the same run statuses", () => {
    expect([...runStatuses].sort()).toEqual(Object.values(RunStatus).sort());
  });
});
