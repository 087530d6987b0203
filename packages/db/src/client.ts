import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

const clients = new WeakMap<pg.Pool, PrismaClient>();

/**
 * The Prisma client that queries through `pool`, made on first use: Prisma's
 * reads and the plain SQL share one pool, so a process holds one set of
 * connections. The client ends with the pool (the adapter never ends it).
 */
export function prismaOf(pool: pg.Pool): PrismaClient {
  let client = clients.get(pool);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg(pool) });
    clients.set(pool, client);
  }
  return client;
}

export type { PrismaClient };
