import { describe, expect, it } from "vitest";
import { baselineNames, baselineTitles, verdictText } from "../src/classical/baseline-names";

describe("the classical bar's names and verdict line (the dashboard's and the CLI's light entry point)", () => {
  it("titles every baseline, in report order", () => {
    expect(baselineNames.map((name) => baselineTitles[name])).toEqual(["Naive", "Seasonal naive", "AR", "ARIMA", "ETS", "Theta"]);
  });

  it("says whether the model beats every baseline, or which one beats it and by how much", () => {
    expect(verdictText({ bestLabel: "ARIMA(2,0,2)", skillVsBest: 0.123, beatsAll: true })).toBe(
      "beats every classical baseline; the best, ARIMA(2,0,2), by 12.3% RMSE",
    );
    expect(verdictText({ bestLabel: "AR(18)", skillVsBest: -0.0456, beatsAll: false })).toBe("AR(18) beats it by 4.6% RMSE");
    expect(verdictText(null)).toBe("no baseline could be fitted");
  });
});
