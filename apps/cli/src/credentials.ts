import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { CliError } from "./errors.js";

const credentialsSchema = z.object({ server: z.string().url(), token: z.string().min(1) });
export type Credentials = z.infer<typeof credentialsSchema>;

export const defaultServer = "http://127.0.0.1:3000/api/trpc";

function configFile(): string {
  const dir = process.env.HINDCAST_CONFIG_DIR ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "hindcast");
  return path.join(dir, "credentials.json");
}

/** Server and token: --server/env first, then what `hindcast login` stored. */
export function loadCredentials(serverOption?: string): Credentials {
  const file = configFile();
  const stored = existsSync(file) ? credentialsSchema.safeParse(JSON.parse(readFileSync(file, "utf8"))) : undefined;
  const server = serverOption ?? process.env.HINDCAST_SERVER ?? (stored?.success ? stored.data.server : defaultServer);
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
