/** Exit codes: 0 success, 1 the run failed or was cancelled, 2 usage or validation error. */
export const ExitCode = { ok: 0, runFailed: 1, usage: 2 } as const;

/** An error the CLI reports as one line and an exit code, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
  }
}
