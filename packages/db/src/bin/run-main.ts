import { isUserFacingError } from "@hindcast/contracts";

/**
 * Runs an entry point: a user-facing error prints one line and exits 1;
 * anything else is a bug and keeps its stack.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (isUserFacingError(error)) console.error(`hindcast: ${error.toLine()}`);
    else console.error(error);
    process.exit(1);
  });
}
