// A store for @fastify/rate-limit whose counts every API process on one PostgreSQL shares, so two
// processes do not double a caller's budget. Windows are fixed (aligned to the epoch) so that all
// processes agree on them. A request is counted in memory at once; every FLUSH_MS one statement
// writes the new counts and reads back the totals of every caller seen in the last second, so a
// request costs no query of its own and another process's requests are seen within one flush
// (a caller may get that many requests over the limit, no more). While the database is away,
// counts stay local and are written when it is back.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/connection';

const FLUSH_MS = 100;
/** Callers seen this recently have their totals read back at each flush. */
const FRESH_MS = 1_000;
/** Rows of windows older than this many windows are deleted now and then. */
const KEEP_WINDOWS = 2;
const PURGE_EVERY_MS = 60_000;

interface Counter {
  windowStart: number;
  /** Everyone's requests in this window, as of the last flush (ours included). */
  known: number;
  /** Ours being written now. */
  inFlight: number;
  /** Ours not yet written. */
  pending: number;
  lastSeen: number;
}

type Callback = (error: Error | null, result: { current: number; ttl: number }) => void;

export interface SharedRateStore {
  /** The class the plugin instantiates (option `store`). */
  Store: FastifyRateLimitStoreCtor;
  /** Writes what is counted and stops the timer. */
  close(): Promise<void>;
}

export function sharedRateStore(db: Db): SharedRateStore {
  const counters = new Map<string, Counter>();
  let flushing: Promise<void> = Promise.resolve();
  let lastPurge = Date.now();

  function counter(key: string, timeWindow: number): Counter {
    const windowStart = Math.floor(Date.now() / timeWindow) * timeWindow;
    let c = counters.get(key);
    if (!c || c.windowStart !== windowStart) {
      c = { windowStart, known: 0, inFlight: 0, pending: 0, lastSeen: 0 };
      counters.set(key, c);
    }
    c.lastSeen = Date.now();
    return c;
  }

  async function write(): Promise<void> {
    const now = Date.now();
    for (const [key, c] of counters) if (c.pending === 0 && c.inFlight === 0 && c.lastSeen < now - 60 * 60_000) counters.delete(key);
    const batch = [...counters.entries()].filter(([, c]) => c.pending > 0);
    const fresh = [...counters.entries()].filter(([, c]) => c.pending === 0 && c.lastSeen > now - FRESH_MS);
    if (batch.length === 0 && fresh.length === 0) return;
    for (const [, c] of batch) {
      c.inFlight = c.pending;
      c.pending = 0;
    }
    try {
      const { rows } = (await db.raw(
        `with written as (
           insert into api_rate_counts (key, window_start, hits)
           select * from unnest(?::text[], ?::bigint[], ?::int[])
           on conflict (key, window_start) do update set hits = api_rate_counts.hits + excluded.hits
           returning key, window_start, hits)
         select key, window_start, hits from written
         union all
         select c.key, c.window_start, c.hits from api_rate_counts c
         join unnest(?::text[], ?::bigint[]) as f(key, window_start) on f.key = c.key and f.window_start = c.window_start`,
        [
          batch.map(([key]) => key),
          batch.map(([, c]) => c.windowStart),
          batch.map(([, c]) => c.inFlight),
          fresh.map(([key]) => key),
          fresh.map(([, c]) => c.windowStart),
        ],
      )) as { rows: { key: string; window_start: string; hits: number }[] };
      for (const row of rows) {
        const c = counters.get(row.key);
        if (c && c.windowStart === Number(row.window_start)) {
          c.known = row.hits;
          c.inFlight = 0;
        }
      }
      if (now - lastPurge > PURGE_EVERY_MS) {
        lastPurge = now;
        const windowMs = Math.max(...[...counters.values()].map((c) => now - c.windowStart), 1);
        await db('api_rate_counts')
          .where('window_start', '<', now - (KEEP_WINDOWS + 1) * windowMs)
          .delete();
      }
    } catch {
      // The database is away: keep counting here, write it all next time.
      for (const [, c] of batch) {
        c.pending += c.inFlight;
        c.inFlight = 0;
      }
    }
  }

  const timer = setInterval(() => {
    flushing = flushing.then(write);
  }, FLUSH_MS);
  timer.unref();

  function answer(c: Counter, timeWindow: number, cb: Callback): void {
    cb(null, { current: c.known + c.inFlight + c.pending, ttl: c.windowStart + timeWindow - Date.now() });
  }

  class Store implements FastifyRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      const c = counter(key, timeWindow);
      c.pending++;
      answer(c, timeWindow, cb);
    }

    read(key: string, cb: Callback, timeWindow: number): void {
      answer(counter(key, timeWindow), timeWindow, cb);
    }

    child(): Store {
      return this;
    }
  }

  return {
    Store,
    async close() {
      clearInterval(timer);
      await flushing;
      await write();
    },
  };
}
