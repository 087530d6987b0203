import type { RetrodictionResults } from "@hindcast/api";

/** One retrodiction window as runs.results (and the browser preview) give it. */
export type RetrodictionWindowResult = RetrodictionResults["windows"][number];

/** Above zero the model beats the baseline; missing skills (JSON has no Infinity) beat nothing. */
export const beats = (skill: number | null | undefined) => typeof skill === "number" && skill > 0;

/** What overall figures cover, named wherever they are shown next to per-window ones: "all 6 windows". */
export const allWindows = (count: number) => (count === 1 ? "1 window" : `all ${count} windows`);
