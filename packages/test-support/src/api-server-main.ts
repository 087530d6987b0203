import { startApiServer } from "@hindcast/api";
import { createPool } from "@hindcast/db";
import { runMain } from "@hindcast/db/run-main";
import { z } from "zod";

const settingsSchema = z.object({
  DATABASE_URL: z.string().min(1),
  /** The address to listen on: a test host's own one. */
  HINDCAST_API_HOST: z.string().min(1).default("127.0.0.1"),
  HINDCAST_API_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
});

// The API alone (no dashboard, no workers) as a process of its own, for tests that put it on another host:
// prints its origin (http://host:port) as one line once it listens; SIGTERM stops it.
runMain(async () => {
  const settings = settingsSchema.parse(process.env);
  const pool = createPool({ connectionString: settings.DATABASE_URL });
  const server = await startApiServer(pool, { host: settings.HINDCAST_API_HOST, port: settings.HINDCAST_API_PORT });
  process.once("SIGTERM", () => {
    void server
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
  console.log(server.url.replace(/\/api\/trpc$/, ""));
});
