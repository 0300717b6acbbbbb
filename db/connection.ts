// One knex instance per process, over node-postgres. NUMERIC and BIGINT come back as strings so
// money never passes through a float.
import knex, { type Knex } from 'knex';

export type Db = Knex;

export function createDb(databaseUrl: string, pool: { min?: number; max?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    acquireConnectionTimeout: 10_000,
    // Lost connections (a database restart) are retried by the caller; note them on stderr.
    log: {
      warn: (message: unknown) => process.stderr.write(`[db] ${String(message)}\n`),
      error: (message: unknown) => process.stderr.write(`[db] ${String(message)}\n`),
      deprecate: (message: unknown) => process.stderr.write(`[db] ${String(message)}\n`),
      debug: () => undefined,
    },
  });
}
