import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { headlineMetric, metricCatalog } from "@hindcast/contracts";
import { describe, expect, it } from "vitest";
import { sortOf } from "../src/commands/list";
import { listSortNames } from "../src/list-sorts.mjs";
import { runsListTable } from "../src/result-tables";

const bin = path.join(import.meta.dirname, "..", "bin", "hindcast.mjs");

describe("hindcast train list --sort", () => {
  it("names every headline metric of the catalog, a metric added to it too", () => {
    const smape = headlineMetric({
      key: "smape",
      label: "sMAPE",
      short: "sMAPE",
      direction: "lower",
      format: "number",
      path: ["overall", "smape"],
    });
    expect(listSortNames(metricCatalog.headline)).toEqual(["created", "vs-naive", "vs-best", ...metricCatalog.headline.map((m) => m.key)]);
    expect(listSortNames([...metricCatalog.headline, smape]).at(-1)).toBe("smape");
  });

  it("sorts a headline metric best first, and keeps its older names", () => {
    expect(sortOf("rmse")).toEqual({ by: "headline", key: "rmse", direction: "asc" });
    expect(sortOf("skill_vs_best")).toEqual({ by: "headline", key: "skill_vs_best", direction: "desc" });
    expect(sortOf("coverage_95")).toEqual({ by: "headline", key: "coverage_95", direction: "desc" });
    expect(sortOf("vs-naive")).toEqual({ by: "skill", direction: "desc" });
    expect(() => sortOf("constructor")).toThrow(/--sort constructor: use one of created, vs-naive, vs-best, rmse, /);
  });

  it("offers them on the command line", async () => {
    const failed = await promisify(execFile)(process.execPath, [bin, "train", "list", "--sort", "nope"]).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining(listSortNames(metricCatalog.headline).join(", ")) });
  });

  it("shows the metric it sorts by as a column when the list does not show it anyway", () => {
    const run = {
      id: "aaaaaaaa-0000-4000-8000-000000000001",
      status: "SUCCEEDED",
      percent: 100,
      pipeline: "retrodiction",
      name: "a",
      resultSummary: { overall: { rmse: 0.25, skill: { rmseVsNaive: 0.5 } } },
    } as unknown as Parameters<typeof runsListTable>[0][number];
    const header = (sortedBy?: string) => runsListTable([run], metricCatalog, sortedBy).split("\n")[0] ?? "";
    expect(header()).not.toMatch(/\bRMSE\b/);
    expect(header("rmse")).toMatch(/done\s+RMSE\s+Skill vs naive/);
    expect(header("skill_vs_naive").match(/Skill vs naive/g)).toHaveLength(1);
  });
});
