import type { BackendCandidate } from "./pick";

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; description?: string; vendor?: string; architecture?: string };
}
interface NavigatorWithGpu {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
}

/** Browser backends, best first: webgpu -> webgl -> wasm -> cpu. */
export function browserBackends(options: { wasmPath?: string } = {}): BackendCandidate[] {
  return [
    {
      name: "webgpu",
      gpu: true,
      prepare: async () => {
        const gpu = (globalThis as { navigator?: NavigatorWithGpu }).navigator?.gpu;
        if (!gpu) return { unavailable: "navigator.gpu is missing (WebGPU is off or unsupported in this browser)" };
        const adapter = await gpu.requestAdapter();
        if (!adapter) return { unavailable: "no WebGPU adapter (no usable GPU or driver)" };
        await import("@tensorflow/tfjs-backend-webgpu");
        const fallback = adapter.isFallbackAdapter ?? adapter.info?.isFallbackAdapter;
        const label = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(" ");
        return {
          note: fallback
            ? `WebGPU runs on a fallback (software) adapter${label ? `: ${label}` : ""}`
            : `WebGPU adapter${label ? `: ${label}` : ""}`,
        };
      },
    },
    { name: "webgl", gpu: true, prepare: async () => ({}) },
    {
      name: "wasm",
      gpu: false,
      prepare: async () => {
        const wasm = await import("@tensorflow/tfjs-backend-wasm");
        if (options.wasmPath) wasm.setWasmPaths(options.wasmPath);
        return {};
      },
    },
    { name: "cpu", gpu: false, prepare: async () => ({}) },
  ];
}
