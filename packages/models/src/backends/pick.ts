import * as tf from "@tensorflow/tfjs";

export interface BackendCandidate {
  name: string;
  /** Whether the backend computes on a GPU (decides which queue a worker may take). */
  gpu: boolean;
  /**
   * Makes the backend available (imports, adapters); returns a reason when it
   * cannot be, or a note to keep with the choice (e.g. "fallback adapter").
   */
  prepare(): Promise<{ unavailable: string } | { note?: string }>;
}

export interface BackendChoice {
  backend: string;
  gpu: boolean;
  notes: string[];
  /** Better candidates and why each was turned down, in order. */
  rejected: { backend: string; reason: string }[];
}

/** Runs a training step on the current backend; throws when a kernel is missing. */
export type BackendProbe = () => Promise<void> | void;

/**
 * The first candidate that really works: tf.setBackend succeeds, tf.getBackend
 * agrees, a small matMul is right, and `probe` (one training step of the model
 * about to train) runs with a finite loss.
 */
export async function pickBackend(candidates: readonly BackendCandidate[], probe?: BackendProbe): Promise<BackendChoice> {
  const rejected: BackendChoice["rejected"] = [];
  for (const candidate of candidates) {
    const reason = await tryBackend(candidate, probe);
    if (typeof reason === "string") {
      rejected.push({ backend: candidate.name, reason });
      continue;
    }
    return { backend: candidate.name, gpu: candidate.gpu, notes: reason.notes, rejected };
  }
  const summary = rejected.map((r) => `${r.backend}: ${r.reason}`).join("; ");
  throw new Error(`No TensorFlow.js backend works here (${summary})`);
}

async function tryBackend(candidate: BackendCandidate, probe?: BackendProbe): Promise<string | { notes: string[] }> {
  try {
    const prepared = await candidate.prepare();
    if ("unavailable" in prepared) return prepared.unavailable;
    if (!(await tf.setBackend(candidate.name))) return "tf.setBackend returned false";
    await tf.ready();
    if (tf.getBackend() !== candidate.name) return `tf.getBackend() reports "${tf.getBackend()}"`;
    const matMul = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
    const product = await matMul.data();
    matMul.dispose();
    const expected = [19, 22, 43, 50];
    if (expected.some((v, i) => Math.abs((product[i] as number) - v) > 1e-3))
      return `matMul gave [${Array.from(product).join(", ")}], expected [19, 22, 43, 50]`;
    await probe?.();
    return { notes: "note" in prepared && prepared.note ? [prepared.note] : [] };
  } catch (error) {
    return `failed its check: ${(error as Error).message?.split("\n")[0] ?? String(error)}`;
  }
}

/** Candidates reordered so the named ones come first, in the given order (HINDCAST_BACKEND=wasm,cpu). */
export function preferBackends(candidates: readonly BackendCandidate[], order: readonly string[]): BackendCandidate[] {
  const unknown = order.filter((name) => !candidates.some((c) => c.name === name));
  if (unknown.length) throw new Error(`Unknown backend ${unknown.join(", ")}: choose from ${candidates.map((c) => c.name).join(", ")}`);
  return order.map((name) => candidates.find((c) => c.name === name) as BackendCandidate);
}
