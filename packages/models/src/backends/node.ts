// Node-only backend candidates (the package's ./node entry; the browser never
// loads this file). Native TensorFlow and Dawn are optional dependencies:
// their absence is a reason to move on, never an error.
import type { BackendCandidate } from "./pick";

/** Imports an optional package by a name the bundler/type checker need not resolve. */
async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

function reasonOf(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  if (err.code === "ERR_MODULE_NOT_FOUND" || err.code === "MODULE_NOT_FOUND") return "not installed";
  return `native library failed to load: ${String(err.message).split("\n")[0]}`;
}

/** Node backends, best first: tensorflow (tfjs-node-gpu, tfjs-node) -> webgpu (Dawn) -> wasm -> cpu. */
export function nodeBackends(): BackendCandidate[] {
  let tensorflowIsGpu = false;
  return [
    {
      name: "tensorflow",
      get gpu() {
        return tensorflowIsGpu;
      },
      prepare: async () => {
        const reasons: string[] = [];
        for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
          try {
            await importOptional(pkg);
            tensorflowIsGpu = pkg.endsWith("-gpu");
            return { note: `native TensorFlow from ${pkg}` };
          } catch (error) {
            reasons.push(`${pkg} ${reasonOf(error)}`);
          }
        }
        return { unavailable: reasons.join("; ") };
      },
    },
    {
      name: "webgpu",
      gpu: true,
      prepare: async () => {
        let dawn: { create(options: string[]): { requestAdapter(): Promise<unknown> }; globals: object };
        try {
          dawn = (await importOptional("webgpu")) as typeof dawn;
        } catch (error) {
          return { unavailable: `npm package webgpu ${reasonOf(error)}` };
        }
        const gpu = dawn.create([]);
        const adapter = await gpu.requestAdapter();
        if (!adapter) return { unavailable: "no WebGPU adapter (Dawn found no GPU or Vulkan driver)" };
        Object.assign(globalThis, dawn.globals);
        const current = (globalThis as { navigator?: object }).navigator;
        Object.defineProperty(globalThis, "navigator", { value: { ...current, gpu }, configurable: true });
        await import("@tensorflow/tfjs-backend-webgpu");
        return { note: "WebGPU through Dawn (npm webgpu)" };
      },
    },
    {
      name: "wasm",
      gpu: false,
      prepare: async () => {
        await import("@tensorflow/tfjs-backend-wasm");
        return {};
      },
    },
    { name: "cpu", gpu: false, prepare: async () => ({}) },
  ];
}
