import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { CliError } from "./errors.mjs";

const credentialsSchema = z.object({ server: z.string().url(), token: z.string().min(1) });
export type Credentials = z.infer<typeof credentialsSchema>;

const defaultServer = "http://127.0.0.1:3000";

/**
 * The tRPC endpoint of a server address: the dashboard's base URL
 * (http://host:3000, as `npm start` prints it) and the endpoint itself
 * (http://host:3000/api/trpc) are the same server, with or without the
 * scheme. `source` names where the address came from, for the error.
 */
function apiEndpoint(address: string, source: string): string {
  let url: URL;
  try {
    // "127.0.0.1:3000" and "localhost:3000" are meant as http.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`);
  } catch {
    throw new CliError(`${source} "${address}" is not a URL. Fix: give the dashboard's address, e.g. http://127.0.0.1:3000`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`${source} "${address}" is not an http(s) address. Fix: give the dashboard's address, e.g. http://127.0.0.1:3000`);
  }
  const base = url.pathname.replace(/\/+$/, "");
  url.pathname = base.endsWith("/api/trpc") ? base : `${base}/api/trpc`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** The server to talk to: --server, else HINDCAST_SERVER, else `fallback`. */
export function chosenServer(serverOption: string | undefined, fallback = defaultServer): string {
  if (serverOption !== undefined) return apiEndpoint(serverOption, "--server");
  if (process.env.HINDCAST_SERVER) return apiEndpoint(process.env.HINDCAST_SERVER, "HINDCAST_SERVER");
  return apiEndpoint(fallback, "The server");
}

function configFile(): string {
  const dir = process.env.HINDCAST_CONFIG_DIR ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "hindcast");
  return path.join(dir, "credentials.json");
}

/** Server and token: --server/env first, then what `hindcast login` stored. */
export function loadCredentials(serverOption?: string): Credentials {
  const file = configFile();
  const stored = existsSync(file) ? credentialsSchema.safeParse(JSON.parse(readFileSync(file, "utf8"))) : undefined;
  const server = chosenServer(serverOption, stored?.success ? stored.data.server : defaultServer);
  const token = process.env.HINDCAST_TOKEN ?? (stored?.success ? stored.data.token : undefined);
  if (!token)
    throw new CliError("Not logged in: no API token. Fix: hindcast login --token <token> (an admin creates tokens), or set HINDCAST_TOKEN");
  return { server, token };
}

export function saveCredentials(credentials: Credentials): string {
  const file = configFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return file;
}
