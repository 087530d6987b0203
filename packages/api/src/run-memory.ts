import { UserFacingError, zodIssueLines } from "@hindcast/contracts";
import { type DatasetSummary, loadAnyDataset } from "@hindcast/datasets";
import { estimateSpecMemory, formatBytes, type TrainingSpec } from "@hindcast/models";
import type pg from "pg";
import { z } from "zod";

const mebibyte = 1024 ** 2;

/**
 * 4 GiB, what the wasm backend (the one every worker has) can address: every
 * default spec needs under 25 MiB and widened ones a few hundred MiB, while the
 * issue's hostile specs need terabytes and more. Teams training large models
 * (an LSTM of 256 units over a year of days needs about 13 GiB) raise it.
 */
const defaultRunMemoryMb = 4096;

const serverLimitsSchema = z.object({
  HINDCAST_MAX_RUN_MEMORY_MB: z.coerce.number().int().positive().default(defaultRunMemoryMb),
});

/** The memory one run may need, in bytes, from the server's environment; a bad value stops the server with the variable named. */
export function runMemoryLimitFrom(env: Record<string, string | undefined>): number {
  const parsed = serverLimitsSchema.safeParse(env);
  if (!parsed.success) {
    throw new UserFacingError(zodIssueLines(parsed.error).join("; "), `set it to a number of MiB, or unset it for ${defaultRunMemoryMb}`);
  }
  return parsed.data.HINDCAST_MAX_RUN_MEMORY_MB * mebibyte;
}

/** Read once, when the API loads. */
const runMemoryLimit = runMemoryLimitFrom(process.env);

/**
 * Refuses (400) a run whose estimated memory exceeds the server's budget,
 * naming the estimate, its parts and the limit. Built-in datasets carry no
 * row count; they are counted from their (cached) files.
 */
export async function assertRunFitsMemory(pool: pg.Pool, spec: TrainingSpec, dataset: DatasetSummary): Promise<void> {
  const rows = dataset.rows ?? (await loadAnyDataset(pool, dataset.name)).dates.length;
  const estimate = estimateSpecMemory(spec, rows);
  if (estimate.bytes <= runMemoryLimit) return;
  throw new UserFacingError(
    `This run needs about ${formatBytes(estimate.bytes)} of memory (parameters ${formatBytes(estimate.parameterBytes)}, ` +
      `training step ${formatBytes(estimate.stepBytes)}, training windows ${formatBytes(estimate.windowBytes)}); ` +
      `the server allows ${formatBytes(runMemoryLimit)} per run (HINDCAST_MAX_RUN_MEMORY_MB)`,
    "reduce the model's size, train.batchSize or window.lookback",
    { path: "spec" },
  );
}
