import { z } from "zod";

/** Every status a run can have; the database enum "RunStatus" holds the same (a schema test checks). */
export const runStatuses = ["QUEUED", "RUNNING", "CANCELLING", "SUCCEEDED", "FAILED", "CANCELLED", "STOPPED"] as const;
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Statuses a run never leaves. */
export const terminalStatuses: readonly RunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED", "STOPPED"];
/** Statuses of a run a worker holds. */
export const activeStatuses: readonly RunStatus[] = ["RUNNING", "CANCELLING"];

export const isTerminalStatus = (status: RunStatus): boolean => terminalStatuses.includes(status);
