import { z } from "zod";

/**
 * What a worker process started by `npm start` tells it over IPC as it exits
 * (the package's ./messages entry: the supervisor reads it without loading TF.js).
 */
export const workerStoppedMessage = z.strictObject({
  kind: z.literal("stopped"),
  /** Runs handed back to the queue, to resume from their last checkpoint. */
  handedBack: z.number().int().min(0),
});
export type WorkerStoppedMessage = z.infer<typeof workerStoppedMessage>;
