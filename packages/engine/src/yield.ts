/**
 * Lets queued events (a cancel notification, a Stop message) run between
 * batches. setImmediate where it exists (Node); a MessageChannel round trip
 * otherwise (browsers clamp nested setTimeout to 4 ms, too slow to call often).
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    // The browser's MessagePort (Node's typings lack onmessage; Node takes the setImmediate path).
    const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void };
    port.onmessage = () => {
      port.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
