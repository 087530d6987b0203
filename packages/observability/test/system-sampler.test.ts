import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseNvidiaSmi, SystemSampler, systemMetricKeys, systemMetricPoints } from "../src/index";

/** A stand-in nvidia-smi: appends a line to `calls` each time it runs, then prints `stdout` and exits with `code`. */
async function fakeNvidiaSmi(stdout: string, code: number): Promise<{ command: string; calls: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-nvidia-smi-"));
  const command = path.join(dir, "nvidia-smi");
  const calls = path.join(dir, "calls");
  await writeFile(calls, "");
  await writeFile(command, `#!/bin/sh\necho called >> '${calls}'\nprintf '%s' '${stdout}'\nexit ${code}\n`);
  await chmod(command, 0o755);
  return { command, calls };
}

const callCount = async (calls: string) => (await readFile(calls, "utf8")).split("\n").filter(Boolean).length;

describe("SystemSampler", () => {
  it("measures this process and its machine, and reports no GPU where nvidia-smi is missing", async () => {
    const sampler = new SystemSampler();
    // Burn some CPU between the samples, so the share is measured over real work.
    let x = 0;
    for (let i = 0; i < 2_000_000; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const sample = await sampler.sample();
    expect(sample.cpuPercent).toBeGreaterThan(0);
    expect(sample.rssMb).toBeGreaterThan(1);
    expect(sample.machineCpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample.machineCpuPercent).toBeLessThanOrEqual(100);
    expect(sample.memoryTotalMb).toBeGreaterThan(sample.memoryUsedMb);
    expect(sample.loadAverage).toHaveLength(3);
    expect(sample.gpus).toBeUndefined();
    expect((await sampler.sample()).cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it("stops asking nvidia-smi once it failed on the first try", async () => {
    const smi = await fakeNvidiaSmi("", 9);
    const sampler = new SystemSampler({ nvidiaSmi: smi.command });
    expect((await sampler.sample()).gpus).toBeUndefined();
    expect((await sampler.sample()).gpus).toBeUndefined();
    expect(await callCount(smi.calls)).toBe(1);
  });

  it("reads one entry per GPU from nvidia-smi", async () => {
    const smi = await fakeNvidiaSmi("87, 3210, 16384\n3, 512, 16384\n", 0);
    const sampler = new SystemSampler({ nvidiaSmi: smi.command });
    expect((await sampler.sample()).gpus).toEqual([
      { index: 0, utilizationPercent: 87, memoryUsedMb: 3210, memoryTotalMb: 16384 },
      { index: 1, utilizationPercent: 3, memoryUsedMb: 512, memoryTotalMb: 16384 },
    ]);
    await sampler.sample();
    expect(await callCount(smi.calls)).toBe(2);
  });
});

describe("parseNvidiaSmi", () => {
  it("skips lines it cannot read and keeps each GPU's index", () => {
    expect(parseNvidiaSmi("[N/A], 100, 8000\n55, 2048.5, 8192\n\ngarbage\n")).toEqual([
      { index: 1, utilizationPercent: 55, memoryUsedMb: 2048.5, memoryTotalMb: 8192 },
    ]);
    expect(parseNvidiaSmi("")).toEqual([]);
  });
});

describe("systemMetricPoints", () => {
  const base = {
    cpuPercent: 150,
    rssMb: 300,
    machineCpuPercent: 40,
    loadAverage: [1, 1, 1] as [number, number, number],
    memoryUsedMb: 1,
    memoryTotalMb: 2,
  };
  const wallTime = new Date("2026-12-02T00:00:00Z");

  it("writes CPU and memory, tensors when given, at the caller's step", () => {
    expect(systemMetricPoints(base, { step: 7, tensorBytes: 64 * 1024 * 1024, wallTime })).toEqual([
      { key: systemMetricKeys.cpuPercent, step: 7, value: 150, wallTime },
      { key: systemMetricKeys.rssMb, step: 7, value: 300, wallTime },
      { key: systemMetricKeys.tensorMb, step: 7, value: 64, wallTime },
    ]);
  });

  it("writes the GPUs' mean utilisation and summed memory", () => {
    const gpus = [
      { index: 0, utilizationPercent: 80, memoryUsedMb: 1000, memoryTotalMb: 8000 },
      { index: 1, utilizationPercent: 20, memoryUsedMb: 500, memoryTotalMb: 8000 },
    ];
    const points = systemMetricPoints({ ...base, gpus }, { step: 1, wallTime });
    expect(points.map((p) => [p.key, p.value])).toEqual([
      ["system/cpu_percent", 150],
      ["system/rss_mb", 300],
      ["system/gpu_utilization_percent", 50],
      ["system/gpu_memory_mb", 1500],
    ]);
  });
});
