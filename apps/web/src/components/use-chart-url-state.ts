"use client";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { type ChartSettings, chartSettingsFromSearch, chartSettingsToSearch } from "./chart-controls";

/**
 * Which metric charts are shown (`charts=a,b`) and how (`x`, `log`, `smooth`),
 * kept in the page's URL so a shared or reloaded link shows the same view.
 * `chosen` is undefined until the user picks, so pages can apply their defaults.
 */
export function useChartUrlState(knownKeys: readonly string[]) {
  const search = useSearchParams();
  const router = useRouter();
  const settings = useMemo(() => chartSettingsFromSearch(search), [search]);
  const chosen = useMemo(
    () =>
      search
        .get("charts")
        ?.split(",")
        .filter((key) => knownKeys.includes(key)),
    [search, knownKeys],
  );
  const replace = (next: URLSearchParams) => router.replace(`?${next.toString()}`, { scroll: false });
  return {
    settings,
    setSettings: (value: ChartSettings) => replace(chartSettingsToSearch(value, search)),
    chosen,
    setChosen: (keys: string[]) => {
      const next = new URLSearchParams(search);
      next.set("charts", keys.join(","));
      replace(next);
    },
  };
}
