import type { RetrodictionResults } from "@hindcast/api";

/** One retrodiction window as runs.results (and the browser preview) give it. */
export type RetrodictionWindowResult = RetrodictionResults["windows"][number];

/** Above zero the model beats the baseline; missing skills (JSON has no Infinity) beat nothing. */
export const beats = (skill: number | null | undefined) => typeof skill === "number" && skill > 0;
