// Plain JavaScript (checked by tsc through JSDoc): the command tree (main.mjs) needs it before TypeScript is loaded.

/** Exit codes: 0 success, 1 the run failed or was cancelled, 2 usage or validation error. */
export const ExitCode = /** @type {const} */ ({ ok: 0, runFailed: 1, usage: 2 });

/** An error the CLI reports as one line and an exit code, never a stack trace. */
export class CliError extends Error {
  /**
   * @param {string} message
   * @param {number} [exitCode]
   */
  constructor(message, exitCode = ExitCode.usage) {
    super(message);
    /** @readonly */
    this.exitCode = exitCode;
  }
}
