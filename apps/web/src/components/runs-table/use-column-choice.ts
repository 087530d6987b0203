"use client";
import { useCallback, useState } from "react";
import type { ColumnChoice } from "./columns";

const storageKey = "hindcast.runs.columns";
/** training.list returns at most this many metric summaries per run. */
export const maxMetricColumns = 20;
export const defaultColumnChoice: ColumnChoice = { params: [], metrics: ["val_loss"] };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

function load(): ColumnChoice {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? "null") as Partial<ColumnChoice> | null;
    if (saved) return { params: strings(saved.params), metrics: strings(saved.metrics).slice(0, maxMetricColumns) };
  } catch {
    // A value another version wrote, or storage turned off: start from the defaults.
  }
  return defaultColumnChoice;
}

/** The runs table's added columns, kept in localStorage so they survive reloads. */
export function useColumnChoice(): [ColumnChoice, (choice: ColumnChoice) => void] {
  const [choice, setChoice] = useState(() => (typeof window === "undefined" ? defaultColumnChoice : load()));
  const update = useCallback((next: ColumnChoice) => {
    setChoice(next);
    try {
      localStorage.setItem(storageKey, JSON.stringify(next));
    } catch {
      // Storage full or off: the choice still holds for this page.
    }
  }, []);
  return [choice, update];
}
