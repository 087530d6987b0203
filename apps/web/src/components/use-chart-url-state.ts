"use client";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { type ChartSettings, chartSettingsFromSearch, chartSettingsToSearch } from "./chart-controls";

/**
 * Which metric charts are shown (`charts=a,b`) and how (`x`, `log`, `smooth`),
 * kept in the page's URL so a shared or reloaded link shows the same view.
 * The state is local and the URL follows it (history.replaceState, which Next
 * keeps in sync), so a control answers at once instead of after a navigation.
 * `chosen` is undefined until the user picks, so pages can apply their defaults.
 */
export function useChartUrlState(knownKeys: readonly string[]) {
  const initial = useSearchParams();
  const [settings, setSettingsState] = useState(() => chartSettingsFromSearch(initial));
  const [charts, setCharts] = useState(() => initial.get("charts")?.split(","));
  const chosen = useMemo(() => charts?.filter((key) => knownKeys.includes(key)), [charts, knownKeys]);
  const writeUrl = (update: (search: URLSearchParams) => URLSearchParams) =>
    window.history.replaceState(null, "", `?${update(new URLSearchParams(window.location.search)).toString()}`);
  return {
    settings,
    setSettings: (value: ChartSettings) => {
      setSettingsState(value);
      writeUrl((search) => chartSettingsToSearch(value, search));
    },
    chosen,
    setChosen: (keys: string[]) => {
      setCharts(keys);
      writeUrl((search) => {
        search.set("charts", keys.join(","));
        return search;
      });
    },
  };
}
