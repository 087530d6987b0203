"use client";
import { useCallback, useEffect, useState } from "react";
import { type ColumnChoice, defaultColumnChoice, maxMetricColumns } from "./columns";

const storageKey = "hindcast.runs.columns";

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

function load(): ColumnChoice {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? "null") as Partial<ColumnChoice> | null;
    if (saved) {
      const trend = typeof saved.trend === "string" && saved.trend ? saved.trend : undefined;
      return { params: strings(saved.params), metrics: strings(saved.metrics).slice(0, maxMetricColumns), trend };
    }
  } catch {
    // A value another version wrote, or storage turned off: start from the defaults.
  }
  return defaultColumnChoice;
}

/**
 * The user's last column choice, kept in localStorage: what a plain /runs
 * link shows. `loaded` is false until it was read (after hydration).
 */
export function useSavedColumnChoice(): { saved: ColumnChoice; loaded: boolean; save: (choice: ColumnChoice) => void } {
  const [saved, setSaved] = useState(defaultColumnChoice);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    setSaved(load());
    setLoaded(true);
  }, []);
  const save = useCallback((next: ColumnChoice) => {
    setSaved(next);
    try {
      localStorage.setItem(storageKey, JSON.stringify(next));
    } catch {
      // Storage full or off: the choice still holds for this page and its URL.
    }
  }, []);
  return { saved, loaded, save };
}
