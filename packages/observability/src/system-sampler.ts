import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";
import { z } from "zod";

const run = promisify(execFile);
const mb = 1024 * 1024;

export interface GpuSample {
  index: number;
  utilizationPercent: number;
  memoryUsedMb: number;
  memoryTotalMb: number;
}

/** One look at this process and its machine. */
export interface SystemSample {
  /** CPU time of this process since the previous sample (the first: since it started), as a share of one core's wall time (200 = two busy cores). */
  cpuPercent: number;
  rssMb: number;
  /** The machine's CPU use since the previous sample (the first: since boot), over all its cores (0 to 100). */
  machineCpuPercent: number;
  /** The machine's 1, 5 and 15 minute load averages (zeros on Windows). */
  loadAverage: [number, number, number];
  memoryUsedMb: number;
  memoryTotalMb: number;
  /** One entry per GPU nvidia-smi lists; absent on a machine without nvidia-smi. */
  gpus?: GpuSample[];
}

const gpuQuery = ["--query-gpu=utilization.gpu,memory.used,memory.total", "--format=csv,noheader,nounits"];
const nvidiaSmiTimeoutMs = 2_000;
/** nvidia-smi writes "[N/A]" or "[Not Supported]" for a field a GPU cannot report: such a row is left out. */
const gpuField = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number);
const gpuRow = z.tuple([gpuField, gpuField, gpuField]);

/** The GPUs in nvidia-smi's CSV answer (one line per GPU, in index order); a line it cannot read is skipped. */
export function parseNvidiaSmi(csv: string): GpuSample[] {
  return csv
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .flatMap((line, index) => {
      const fields = gpuRow.safeParse(line.split(","));
      if (!fields.success) return [];
      const [utilizationPercent, memoryUsedMb, memoryTotalMb] = fields.data;
      return [{ index, utilizationPercent, memoryUsedMb, memoryTotalMb }];
    });
}

/** Busy and total CPU time over every core of the machine, in ms since boot. */
function machineCpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

export interface SystemSamplerOptions {
  /** The command to ask for GPU figures; nvidia-smi on the PATH by default. */
  nvidiaSmi?: string;
}

/**
 * Samples this process (CPU since the last sample, resident memory) and its
 * machine (load, memory, GPUs). Works in any Node process, so a training's
 * child process samples itself. Once nvidia-smi is missing or fails, the
 * sampler stops asking for GPUs: the machine will not grow one.
 */
export class SystemSampler {
  // The first sample covers the process' life and the machine's since boot, rather than the instant since construction.
  private lastCpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  private lastAt = process.hrtime.bigint() - BigInt(Math.round(process.uptime() * 1e9));
  private lastMachine = { total: 0, busy: 0 };
  private gpuProbe: "unknown" | "present" | "absent" = "unknown";
  private readonly nvidiaSmi: string;

  constructor(options: SystemSamplerOptions = {}) {
    this.nvidiaSmi = options.nvidiaSmi ?? "nvidia-smi";
  }

  async sample(): Promise<SystemSample> {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallMicros = Number(now - this.lastAt) / 1_000;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const machine = machineCpuTimes();
    const machineTotal = machine.total - this.lastMachine.total;
    const machineBusy = machine.busy - this.lastMachine.busy;
    this.lastMachine = machine;
    const [one = 0, five = 0, fifteen = 0] = os.loadavg();
    const gpus = await this.sampleGpus();
    return {
      cpuPercent: wallMicros > 0 ? ((cpu.user + cpu.system) / wallMicros) * 100 : 0,
      rssMb: process.memoryUsage.rss() / mb,
      machineCpuPercent: machineTotal > 0 ? (machineBusy / machineTotal) * 100 : 0,
      loadAverage: [one, five, fifteen],
      memoryUsedMb: (os.totalmem() - os.freemem()) / mb,
      memoryTotalMb: os.totalmem() / mb,
      ...(gpus ? { gpus } : {}),
    };
  }

  private async sampleGpus(): Promise<GpuSample[] | undefined> {
    if (this.gpuProbe === "absent") return undefined;
    try {
      const { stdout } = await run(this.nvidiaSmi, gpuQuery, { timeout: nvidiaSmiTimeoutMs, windowsHide: true });
      this.gpuProbe = "present";
      return parseNvidiaSmi(stdout);
    } catch {
      // A GPU that answered before may time out once under load; a command that never answered is not there.
      if (this.gpuProbe === "unknown") this.gpuProbe = "absent";
      return undefined;
    }
  }
}
