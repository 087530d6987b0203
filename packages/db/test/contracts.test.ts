import { runStatuses, stageEventKinds } from "@hindcast/contracts";
import { describe, expect, it } from "vitest";
import { RunStatus, StageEventKind } from "../src/generated/prisma/enums";

describe("the database's enums and the contracts", () => {
  it("name the same run statuses", () => {
    expect([...runStatuses].sort()).toEqual(Object.values(RunStatus).sort());
  });

  it("name the same stage event kinds", () => {
    expect([...stageEventKinds].sort()).toEqual(Object.values(StageEventKind).sort());
  });
});
