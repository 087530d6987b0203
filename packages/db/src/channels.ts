import { runStatusSchema } from "@hindcast/contracts";
import { z } from "zod";
import { SweepStatus } from "./generated/prisma/enums";
import { defineChannel } from "./notify";

/** Every change to a run (status, progress, stage): watchers re-read or apply it. */
export const runEventsChannel = defineChannel(
  "run_events",
  z.object({
    runId: z.string().uuid(),
    kind: z.enum(["status", "progress", "stage", "metrics"]),
    status: runStatusSchema.optional(),
    percent: z.number().optional(),
    message: z.string().optional(),
  }),
);
export type RunEvent = z.infer<typeof runEventsChannel.schema>;

/** A cancel request for a running run; the worker that runs it trips its token. */
export const runCancelChannel = defineChannel("run_cancel", z.object({ runId: z.string().uuid(), reason: z.string().optional() }));

/** A sweep changed (status, a trial started, a rung decided): sweep pages re-read it. */
export const sweepEventsChannel = defineChannel(
  "sweep_events",
  z.object({ sweepId: z.string().uuid(), status: z.enum(SweepStatus).optional() }),
);
