import { type RunEvent, runEventsChannel } from "./channels";
import type { NotificationHub } from "./notify";

/**
 * Wakes a watcher of one run: once at the start, then after the changes of
 * `kinds` its worker NOTIFYs (several close together wake it once), and after
 * the hub reconnects: notifications sent while it was disconnected are lost,
 * so the watcher re-reads the run's state on every wake and misses nothing.
 * Ends when `signal` aborts.
 */
export async function* watchRun(
  hub: NotificationHub,
  runId: string,
  kinds: readonly RunEvent["kind"][],
  signal?: AbortSignal,
): AsyncGenerator<void, void, undefined> {
  let pending = true;
  let wake: (() => void) | undefined;
  const poke = () => {
    pending = true;
    wake?.();
  };
  const onAbort = () => wake?.();
  const unlisten = await hub.listen(runEventsChannel, (event) => {
    if (event.runId === runId && kinds.includes(event.kind)) poke();
  });
  hub.on("reconnected", poke);
  signal?.addEventListener("abort", onAbort);
  try {
    for (;;) {
      if (!pending && !signal?.aborted) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal?.aborted) return;
      pending = false;
      yield;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    hub.off("reconnected", poke);
    await unlisten();
  }
}
