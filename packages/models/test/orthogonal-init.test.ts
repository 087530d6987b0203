import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { nodeBackends } from "../src/backends/node";
import { buildModel, modelSpecSchema, pickBackend, preferBackends, tf } from "../src/index";

const shape = { lookback: 16, features: 1, horizon: 1 };

beforeAll(async () => {
  // The wasm backend's QR takes milliseconds where the cpu backend's takes seconds.
  await pickBackend(preferBackends(nodeBackends(), ["wasm"]));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("recurrent models' orthogonal initialisation", () => {
  it('says "Slowness may result" once per process, not at every recurrent layer of every model', () => {
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(" "));
    });
    // 32 units: a 32 x 128 (LSTM) or 32 x 96 (GRU) recurrent kernel, past TF.js's 2000-element threshold.
    for (const kind of ["lstm", "gru", "lstm"] as const)
      buildModel(modelSpecSchema.parse({ kind, units: 32, layers: 2 }), shape, 7).dispose();
    expect(warnings.filter((line) => line.includes("Orthogonal initializer"))).toHaveLength(1);
  });

  for (const kind of ["lstm", "gru"] as const) {
    it(`${kind}: the recurrent kernel is still orthogonal`, () => {
      const model = buildModel(modelSpecSchema.parse({ kind, units: 32, layers: 2 }), shape, 7);
      try {
        const layers = model.layers.filter((l) => l.getClassName() === kind.toUpperCase());
        expect(layers).toHaveLength(2);
        for (const layer of layers) {
          const recurrent = layer.getWeights()[1] as tf.Tensor2D;
          expect(recurrent.shape).toEqual([32, (kind === "lstm" ? 4 : 3) * 32]);
          // Orthonormal rows: K Kᵀ = I.
          const error = tf.tidy(() => tf.matMul(recurrent, recurrent, false, true).sub(tf.eye(32)).abs().max());
          expect(error.dataSync()[0]).toBeLessThan(1e-4);
          error.dispose();
        }
      } finally {
        model.dispose();
      }
    });
  }
});
