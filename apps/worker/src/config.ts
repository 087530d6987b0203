import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { issueLine, issuePath } from "@hindcast/contracts";
import { UserFacingError } from "@hindcast/db";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const backendName = z.enum(["tensorflow", "webgpu", "wasm", "cpu"]);

const workerConfigSchema = z.strictObject({
  /** Trainings at once, each in a trainer process of its own: by default one per core. */
  concurrency: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
  /** Backend order to try, best first (HINDCAST_BACKEND=wasm,cpu). */
  backends: z.array(backendName).min(1).default(["tensorflow", "webgpu", "wasm", "cpu"]),
  heartbeatMs: z.coerce.number().int().min(50).default(2_000),
  /** A worker silent this long is dead: its runs go back to the queue. */
  deadAfterMs: z.coerce.number().int().min(200).default(10_000),
  pollIntervalMs: z.coerce.number().int().min(50).default(2_000),
  /** Persist a training's checkpoint at most this often: the work a crash can lose. */
  checkpointIntervalMs: z.coerce.number().int().min(0).default(2_000),
  /** Checkpoints kept per run besides the best one. */
  keepCheckpoints: z.coerce.number().int().min(1).default(2),
  /** Heap limit of each trainer process in MB; Node's default when unset. */
  trainingMemoryMb: z.coerce.number().int().min(32).optional(),
  /** Trainer processes kept started ahead of the next trainings (each ~200 MB idle; TF.js takes ~2 s to load); default: the concurrency, at most 4. */
  spareTrainers: z.coerce.number().int().min(0).max(64).optional(),
  /** How often each training samples its system/* metrics (CPU, memory, tensors, GPU). */
  systemMetricsIntervalMs: z.coerce.number().int().min(250).default(5_000),
  /** Serve Prometheus metrics on this port (0: any free one); off when unset, since `npm start` runs several workers on one machine. */
  metricsPort: z.coerce.number().int().min(0).max(65_535).optional(),
  /** The address the metrics server listens on. */
  metricsHost: z.string().min(1).default("127.0.0.1"),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

const envNames: Record<keyof WorkerConfig, string> = {
  concurrency: "WORKER_CONCURRENCY",
  backends: "HINDCAST_BACKEND",
  heartbeatMs: "WORKER_HEARTBEAT_MS",
  deadAfterMs: "WORKER_DEAD_AFTER_MS",
  pollIntervalMs: "WORKER_POLL_INTERVAL_MS",
  keepCheckpoints: "WORKER_KEEP_CHECKPOINTS",
  checkpointIntervalMs: "WORKER_CHECKPOINT_INTERVAL_MS",
  trainingMemoryMb: "WORKER_TRAINING_MEMORY_MB",
  spareTrainers: "WORKER_SPARE_TRAINERS",
  systemMetricsIntervalMs: "WORKER_SYSTEM_METRICS_MS",
  metricsPort: "WORKER_METRICS_PORT",
  metricsHost: "WORKER_METRICS_HOST",
};

/**
 * Worker settings: defaults, then the YAML file named by HINDCAST_WORKER_CONFIG,
 * then environment variables. Every bad value is reported at once, by name.
 */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const fromFile = readConfigFile(env.HINDCAST_WORKER_CONFIG);
  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    fromEnv[key] = key === "backends" ? value.split(",").map((b) => b.trim()) : value;
  }
  const parsed = workerConfigSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      // A value from the environment is named by its variable; one from the file by its path there.
      if (key in fromEnv) {
        return issueLine({ path: issuePath([envNames[key as keyof WorkerConfig] ?? key, ...issue.path.slice(1)]), message: issue.message });
      }
      return issueLine({ path: `${issuePath(issue.path)} in ${env.HINDCAST_WORKER_CONFIG ?? "config"}`, message: issue.message });
    });
    throw new UserFacingError(`Invalid worker configuration: ${problems.join("; ")}`, "fix the values named above");
  }
  return parsed.data;
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  if (!existsSync(file))
    throw new UserFacingError(`HINDCAST_WORKER_CONFIG names ${file}, which does not exist`, "point it at a YAML file or unset it");
  try {
    const value = parseYaml(readFileSync(file, "utf8")) as unknown;
    if (value === null || value === undefined) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw new Error("the file must hold a mapping of settings");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UserFacingError(`Cannot read worker config ${file}: ${(error as Error).message.split("\n")[0]}`, "fix the YAML");
  }
}
