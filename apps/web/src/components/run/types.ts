import type { RouterOutputs } from "@hindcast/api";
import { isTerminalStatus, type RunStatus, type StageEventKind } from "@hindcast/contracts";

/** A run as training.get returns it: the summary row, its spec, stage events and metric summaries. */
export type RunDetail = RouterOutputs["training"]["get"];

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

/** A run that may still change: queued, or held by a worker. */
export const isActive = (status: RunStatus) => !isTerminalStatus(status);
