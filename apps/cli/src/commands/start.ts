import type { PipelineName } from "@hindcast/contracts";
import { print, withClient } from "../session";
import { readSpecFile } from "../spec-file";

export interface StartOptions {
  set: string[];
  /** Absent: the server's default pipeline. */
  pipeline?: PipelineName;
  name?: string;
  tag: string[];
  experiment?: string;
  gpu: boolean;
  watch: boolean;
  json: boolean;
}

/**
 * `train start`: queues a training from a spec file (checked here first, with
 * file:line errors), or one per seed when train.seed is a list, and follows
 * it (the first) with --watch.
 */
export function startTraining(serverOption: string | undefined, file: string, options: StartOptions): Promise<number> {
  const spec = readSpecFile(file, options.set);
  return withClient(serverOption, async (client) => {
    const run = await client.training.start.mutate({
      spec: spec as never,
      pipeline: options.pipeline,
      name: options.name,
      tags: options.tag,
      experiment: options.experiment,
      requireGpu: options.gpu,
    });
    print(run, options.json, () =>
      run.runGroup
        ? [`Queued ${run.ids.length} runs (one per seed) in run group "${run.runGroup}":`, ...run.ids].join("\n")
        : `Queued run ${run.id}`,
    );
    // A seed list's --watch follows its first run; `hindcast groups --by runGroup` shows them all.
    if (options.watch) return (await import("../watch")).watchRun(client, run.id);
  });
}
