import { type ApiClient, apiClient, describeApiError } from "./client";
import { type Credentials, loadCredentials } from "./credentials";
import { CliError, ExitCode } from "./errors.mjs";

/** Runs a command body with a client for the chosen server, turning server errors into one line; answers the exit code. */
export async function withClient(
  serverOption: string | undefined,
  fn: (client: ApiClient, credentials: Credentials) => Promise<unknown>,
): Promise<number> {
  const credentials = loadCredentials(serverOption);
  try {
    // A body answers an exit code, or nothing for success.
    const result = await fn(apiClient(credentials), credentials);
    return typeof result === "number" ? result : ExitCode.ok;
  } catch (error) {
    throw error instanceof CliError ? error : describeApiError(error, credentials.server);
  }
}

/** JSON for scripts, else the text `text` makes. */
export function print(value: unknown, json: boolean, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}
