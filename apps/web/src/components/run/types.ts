import type { AppRouter } from "@hindcast/api";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;

/** A run as training.get returns it: the summary row, its spec, stage events and metric summaries. */
export type RunDetail = Outputs["training"]["get"];
export type RunStatus = RunDetail["status"];

export type StageEventKind = "STARTED" | "SUCCEEDED" | "FAILED" | "ROLLED_BACK" | "ROLLBACK_FAILED" | "CLEANED_UP" | "RECOVERY";

/** One row of training.get's `stages` (the API types them loosely). */
export interface StageEventRow {
  stage: string;
  kind: StageEventKind;
  attempt: number;
  durationMs: number | null;
  message: string | null;
  details: Record<string, unknown> | null;
  at: Date;
}

export const activeStatuses: readonly RunStatus[] = ["QUEUED", "RUNNING", "CANCELLING"];
export const isActive = (status: RunStatus) => activeStatuses.includes(status);
