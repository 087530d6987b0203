export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  /** A start that stayed up this long was healthy: the next failure waits firstMs again. */
  resetAfterMs: number;
}

/** Exponential waits before restarting something that keeps dying. */
export class RestartBackoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The wait before the next start, given how long the last one stayed up. */
  next(upMs: number): number {
    if (upMs >= this.options.resetAfterMs) this.failures = 0;
    const delay = Math.min(this.options.firstMs * 2 ** this.failures, this.options.maxMs);
    this.failures++;
    return delay;
  }
}

/** How a child process ended, for logs and the Workers page: "killed by SIGKILL" or "exit code 1". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** Whether `work` settles within `ms`: a step waiting on something that went away must not hold up what comes after it. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([work.then(() => true), timedOut]);
  clearTimeout(timer);
  return settled;
}
