import { type RunEvent, runEventsChannel } from "../channels";

/** NOTIFY payloads must stay under 8000 bytes: an event carries the start of a message, the Run row all of it. */
export const notifiedMessage = (message: string): string => message.slice(0, 500);

/** JSON for a pg_notify inside a statement, checked like notify() checks it. */
export function runEventPayload(event: RunEvent): string {
  return JSON.stringify(runEventsChannel.schema.parse(event));
}
