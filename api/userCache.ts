// Sign-ins and scopes cached for a few seconds, so a request does not read PostgreSQL for its
// token (and a manager's reports) every time. Any change to `users` clears the cache of every API
// process at once: a trigger notifies `users_changed` (migration 0114), which each process LISTENs
// to on a connection of its own. While that connection is down nothing is cached, so a change is
// never missed; it reconnects by itself.
import pg from 'pg';
import type { Db } from '../db/connection';

const DEFAULT_TTL_MS = 5_000;
const RECONNECT_MS = 1_000;
// Enough for every user signing in from a few devices; beyond it the oldest entry goes.
const MAX_ENTRIES = 10_000;

export class UserCache {
  private readonly entries = new Map<string, { expires: number; value: unknown }>();
  private listener: pg.Client | null = null;
  private listening = false;
  private closed = false;
  // Bumped by every clear: a value loaded across a clear may be stale and is not kept.
  private generation = 0;

  constructor(
    private readonly connection: string | pg.ClientConfig,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  /** The cache over the same database as `db`. */
  static of(db: Db, ttlMs?: number): UserCache {
    return new UserCache((db.client as { config: { connection: string | pg.ClientConfig } }).config.connection, ttlMs);
  }

  async start(): Promise<void> {
    await this.listen();
  }

  /** The cached value of `key`, or `load()`'s, kept for a few seconds when nothing changed meanwhile. */
  async remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (this.listening && generation === this.generation && value !== undefined) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { expires: Date.now() + this.ttlMs, value });
    }
    return value;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.clear();
    await this.listener?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(typeof this.connection === 'string' ? { connectionString: this.connection } : this.connection);
    this.listener = client;
    client.on('notification', () => this.clear());
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query('LISTEN users_changed');
    } catch {
      this.lost(client);
      return;
    }
    // Whatever changed while nobody listened is unknown: start empty.
    this.clear();
    if (this.listener === client && !this.closed) this.listening = true;
  }

  private lost(client: pg.Client): void {
    if (client !== this.listener) return;
    this.listening = false;
    this.listener = null;
    this.clear();
    client.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => {
      if (!this.closed && this.listener === null) void this.listen();
    }, RECONNECT_MS).unref();
  }
}
