import { EventEmitter } from "node:events";
import pg from "pg";
import type { z } from "zod";
import { logger } from "./logger";

/**
 * Typed LISTEN/NOTIFY. A channel pairs a name with the zod schema of its
 * JSON payload; `notify` validates before sending, listeners receive parsed
 * payloads. One `NotificationHub` per process holds the single listening
 * connection and re-LISTENs after the server restarts or drops it.
 */
export interface Channel<T> {
  name: string;
  schema: z.ZodType<T>;
}

export function defineChannel<T>(name: string, schema: z.ZodType<T>): Channel<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Channel name "${name}" must be a lower-case SQL identifier`);
  return { name, schema };
}

/** PostgreSQL rejects NOTIFY payloads of 8000 bytes or more. */
const maxPayloadBytes = 7999;

interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Sends on `db` (a pool, client or open transaction: delivered on commit). */
export async function notify<T>(db: Queryable, channel: Channel<T>, payload: T): Promise<void> {
  const text = JSON.stringify(channel.schema.parse(payload));
  if (Buffer.byteLength(text) > maxPayloadBytes) {
    throw new Error(
      `Payload for channel ${channel.name} is ${Buffer.byteLength(text)} bytes; NOTIFY allows ${maxPayloadBytes}. Send an id and let listeners read the rest.`,
    );
  }
  await db.query("select pg_notify($1, $2)", [channel.name, text]);
}

type Listener<T> = (payload: T) => void;

export interface HubOptions {
  /** First reconnect delay; doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

export class NotificationHub extends EventEmitter<{
  connected: [];
  /** Notifications sent while disconnected are lost: listeners should re-read state. */
  reconnected: [];
  disconnected: [Error];
}> {
  private client: pg.Client | undefined;
  private readonly subscriptions = new Map<string, { channel: Channel<unknown>; fns: Set<Listener<unknown>> }>();
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private everConnected = false;

  constructor(
    private readonly url: string,
    private readonly options: HubOptions = {},
  ) {
    super();
  }

  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Subscribes; returns the unsubscribe function. */
  async listen<T>(channel: Channel<T>, fn: Listener<T>): Promise<() => Promise<void>> {
    let entry = this.subscriptions.get(channel.name);
    if (!entry) {
      entry = { channel: channel as Channel<unknown>, fns: new Set() };
      this.subscriptions.set(channel.name, entry);
      await this.client?.query(`LISTEN ${pg.escapeIdentifier(channel.name)}`);
    }
    entry.fns.add(fn as Listener<unknown>);
    return async () => {
      const current = this.subscriptions.get(channel.name);
      if (!current) return;
      current.fns.delete(fn as Listener<unknown>);
      if (current.fns.size === 0) {
        this.subscriptions.delete(channel.name);
        await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel.name)}`).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on("notification", (message) => this.dispatch(message));
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    await client.connect();
    for (const name of this.subscriptions.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(name)}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.emit(this.everConnected ? "reconnected" : "connected");
    this.everConnected = true;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.end().catch(() => {});
    logger.warn({ err: error }, "notification connection lost; reconnecting");
    this.emit("disconnected", error);
    this.scheduleReconnect(this.options.reconnectDelayMs ?? 250);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((error: Error) => {
        logger.debug({ err: error }, "notification reconnect failed");
        this.scheduleReconnect(Math.min(delayMs * 2, this.options.maxReconnectDelayMs ?? 5_000));
      });
    }, delayMs);
  }

  private dispatch(message: pg.Notification): void {
    const entry = this.subscriptions.get(message.channel);
    if (!entry) return;
    let payload: unknown;
    try {
      payload = entry.channel.schema.parse(JSON.parse(message.payload ?? "null"));
    } catch (error) {
      logger.warn({ err: error, channel: message.channel }, "dropped a malformed notification");
      return;
    }
    for (const fn of entry.fns) fn(payload);
  }
}
