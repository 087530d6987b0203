import pg from "pg";
import { logger } from "./logger";

/**
 * A pg.Pool that outlives its server. pg emits "error" on a client whose
 * connection drops, and a client checked out with pool.connect() (a
 * transaction, a COPY) has no listener of its own: unheard, that error kills
 * the process. Heard, it fails the client's next query instead, and release()
 * drops the client from the pool; an idle one is dropped at once.
 */
export function createPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("connect", (client) => client.on("error", (error) => logger.debug({ err: error }, "database connection lost while in use")));
  pool.on("error", (error) => logger.warn(`idle database connection lost (${error.message}); the pool opens a new one when needed`));
  return pool;
}
