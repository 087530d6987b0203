import { print, withClient } from "../session";

/** `workers`: each worker's host, status, backend, heartbeat age and runs. */
export function listWorkers(serverOption: string | undefined, options: { json: boolean }): Promise<number> {
  return withClient(serverOption, async (client) => {
    const workers = await client.workers.list.query();
    print(workers, options.json, () =>
      workers.length
        ? workers
            .map(
              (w) =>
                `${w.hostname}:${w.pid}  ${w.status.padEnd(8)} ${w.backend.padEnd(10)} heartbeat ${w.heartbeatAgeSeconds.toFixed(1)}s ago  runs ${w.runIds.length}`,
            )
            .join("\n")
        : "No workers.",
    );
  });
}
