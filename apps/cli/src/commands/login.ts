import os from "node:os";
import { createInterface } from "node:readline/promises";
import { TRPCClientError } from "@trpc/client";
import { apiClient, describeApiError } from "../client";
import { chosenServer, saveCredentials } from "../credentials";
import { CliError } from "../errors.mjs";

/** `hindcast login`: stores a token passed in, or one the server gives for email and password. */
export async function login(serverOption: string | undefined, options: { token?: string; email?: string }): Promise<void> {
  const server = chosenServer(serverOption);
  if (!options.token && !options.email) throw new CliError("login needs --token <token> or --email <email>");
  try {
    const token = options.token ?? (await signIn(server, options.email as string));
    const me = await apiClient({ server, token }).users.me.query();
    const file = saveCredentials({ server, token });
    process.stdout.write(`Logged in to ${server} as ${me.email} (${me.role.toLowerCase()}); token stored in ${file}\n`);
  } catch (error) {
    throw error instanceof CliError ? error : describeApiError(error, server);
  }
}

async function signIn(server: string, email: string): Promise<string> {
  const password = process.env.HINDCAST_PASSWORD ?? (await promptPassword(`Password for ${email}: `));
  try {
    const { token } = await apiClient({ server, token: "" }).users.login.mutate({ email, password, tokenName: `cli on ${os.hostname()}` });
    if (!token)
      throw new CliError(`${server} answered the login without an API token. Fix: update the server, or use hindcast login --token`);
    return token;
  } catch (error) {
    if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED") {
      throw new CliError(`Wrong email or password for ${email} at ${server}. Fix: check both, or ask an admin for an API token`);
    }
    throw error;
  }
}

async function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError("No password: set HINDCAST_PASSWORD or run hindcast login in a terminal");
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  process.stdout.write(question);
  const answer = await rl.question("");
  rl.close();
  process.stdout.write("\n");
  return answer;
}
