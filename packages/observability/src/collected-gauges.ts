import { Gauge, type Registry } from "prom-client";

/** Called when a scrape-time read fails; the series it feeds are then left out of that scrape. */
export type CollectErrorHandler = (error: unknown, metric: string) => void;

/**
 * A gauge whose values are read when the registry is scraped (one read per
 * scrape, nothing cached): `read` returns [label value, value] pairs. Values
 * from an earlier scrape that are gone now are dropped.
 */
export function collectedGauge<Label extends string>(
  registry: Registry,
  options: {
    name: string;
    help: string;
    label: Label;
    read: () => Promise<[string, number][]>;
    onError: CollectErrorHandler;
  },
): Gauge<Label> {
  return new Gauge({
    name: options.name,
    help: options.help,
    labelNames: [options.label],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const [value, count] of await options.read()) this.set({ [options.label]: value } as Record<Label, string>, count);
      } catch (error) {
        options.onError(error, options.name);
      }
    },
  });
}

/** Jobs waiting in the queue per task: `() => queueDepthByTask(pool)` of @hindcast/db. */
export type ReadQueueDepth = () => Promise<readonly { task: string; jobs: number }[]>;

export const queueJobsGauge = (registry: Registry, read: ReadQueueDepth, onError: CollectErrorHandler) =>
  collectedGauge(registry, {
    name: "hindcast_queue_jobs",
    help: "Jobs waiting in the queue (not locked, attempts left), by task",
    label: "task",
    read: async () => (await read()).map((row) => [row.task, row.jobs]),
    onError,
  });
