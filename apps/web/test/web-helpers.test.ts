import { describe, expect, it } from "vitest";
import { defaultColumnChoice } from "../src/components/runs-table/columns";
import { searchFromView, viewFromSearch } from "../src/components/runs-table/runs-view";
import { sparklinePath } from "../src/components/runs-table/trend-cell";
import { formatDuration } from "../src/lib/format";
import { safeNextPath } from "../src/lib/safe-next";

const roundTrip = (search: string) => viewFromSearch(new URLSearchParams(searchFromView(viewFromSearch(new URLSearchParams(search)))));

describe("the runs page's URL", () => {
  it("leaves the columns out of a plain link, so the user's saved choice applies", () => {
    expect(viewFromSearch(new URLSearchParams("tags=a")).columns).toBeUndefined();
    expect(searchFromView({ ...viewFromSearch(new URLSearchParams("tags=a")), columns: defaultColumnChoice })).toBe("tags=a");
  });

  it("keeps chosen columns and the trend, whatever characters their keys hold", () => {
    const columns = { metrics: ["val_loss", "rmse, window 1&2"], params: ["model.kind"], trend: "mase/test" };
    const search = searchFromView({ ...viewFromSearch(new URLSearchParams("status=SUCCEEDED")), columns });
    expect(viewFromSearch(new URLSearchParams(search))).toMatchObject({ status: ["SUCCEEDED"], columns });
  });

  it("tells a table with no added columns from the default one", () => {
    const none = { metrics: [], params: [] };
    const search = searchFromView({ ...viewFromSearch(new URLSearchParams()), columns: none });
    expect(search).toBe("mcol=");
    expect(viewFromSearch(new URLSearchParams(search)).columns).toEqual({ ...none, trend: undefined });
  });

  it("keeps the archived choice, hidden being the default a plain link leaves out", () => {
    expect(roundTrip("archived=only").archived).toBe("only");
    expect(roundTrip("archived=include&tags=a")).toMatchObject({ archived: "include", tags: ["a"] });
    expect(viewFromSearch(new URLSearchParams("archived=all")).archived).toBe("hide");
    expect(searchFromView(viewFromSearch(new URLSearchParams("archived=hide&tags=a")))).toBe("tags=a");
  });

  it("caps metric columns at what training.list returns", () => {
    const many = Array.from({ length: 30 }, (_, i) => `mcol=m${i}`).join("&");
    expect(roundTrip(many).columns?.metrics).toHaveLength(20);
  });
});

describe("sparklinePath", () => {
  it("fills the box: first and last steps at the edges, the extremes at top and bottom", () => {
    expect(sparklinePath({ steps: [1, 2, 3], values: [1, 3, 2] })).toBe("M2.0,20.0L56.0,2.0L110.0,11.0");
  });

  it("draws a flat series through the middle", () => {
    expect(sparklinePath({ steps: [5], values: [7] })).toBe("M2.0,11.0");
  });
});

describe("formatDuration", () => {
  it("keeps a tenth of a second under ten seconds, whole units above", () => {
    expect([0.04, 0.44, 9.9, 9.96, 61, 3_725].map(formatDuration)).toEqual(["0.0s", "0.4s", "9.9s", "10s", "1m 1s", "1h 2m"]);
    expect(formatDuration(null)).toBe("—");
  });
});

describe("where sign-in leads", () => {
  const origin = "http://127.0.0.1:3000";
  it("keeps paths of this site with their query", () => {
    expect(safeNextPath("/runs/abc?tab=logs", origin)).toBe("/runs/abc?tab=logs");
    expect(safeNextPath(null, origin)).toBe("/runs");
  });

  it("never leaves the site, however the other host is spelled", () => {
    for (const next of [
      "/\\evil.example/pwned",
      "//evil.example",
      "https://evil.example/",
      "\\\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "/.//evil.example",
    ]) {
      expect(safeNextPath(next, origin), next).toMatch(/^\/(?!\/)/);
      expect(new URL(safeNextPath(next, origin), origin).origin).toBe(origin);
    }
  });
});
