// Node-only backend candidates (the package's ./node entry; the browser never
// loads this file). Native TensorFlow and Dawn are optional dependencies:
// their absence is a reason to move on, never an error.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { BackendCandidate } from "./pick";

/** A Dawn that has not answered by then is taken as having no adapter. */
const dawnProbeTimeoutMs = 20_000;
const dawnProbe = `
const dawn = await import(process.argv[1]);
const adapter = await dawn.create([]).requestAdapter();
process.stdout.write(adapter ? "adapter" : "none");
process.exit(0);
`;

/**
 * Whether Dawn finds a WebGPU adapter, asked in a child process: when it finds none, Dawn's
 * native code writes why ("Couldn't load Vulkan ... BackendVk.cpp") straight to file
 * descriptor 2, where nothing in this process could catch it. Here it becomes the reason.
 */
function dawnAdapter(entry: string): Promise<{ unavailable: string } | undefined> {
  return new Promise((resolve) => {
    const args = ["--input-type=module", "-e", dawnProbe, pathToFileURL(entry).href];
    execFile(process.execPath, args, { timeout: dawnProbeTimeoutMs }, (error, stdout, stderr) => {
      if (stdout === "adapter") return resolve(undefined);
      // "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file ...", then "    at ... BackendVk.cpp:368".
      const said = stderr
        .split("\n")
        .map((line) => line.trim().replace(/^(Warning|Error): /, ""))
        .find((line) => line !== "" && !line.startsWith("at "));
      const why = error?.killed
        ? `Dawn did not answer within ${dawnProbeTimeoutMs / 1000} s`
        : (said ?? "Dawn found no GPU or Vulkan driver");
      resolve({ unavailable: `no WebGPU adapter (${why.length > 300 ? `${why.slice(0, 299)}…` : why})` });
    });
  });
}

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
        let entry: string;
        try {
          entry = createRequire(import.meta.url).resolve("webgpu");
        } catch (error) {
          return { unavailable: `npm package webgpu ${reasonOf(error)}` };
        }
        const none = await dawnAdapter(entry);
        if (none) return none;
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
