// What the Temporal server writes to PostgreSQL: rows inserted, updated and deleted per table of
// its `temporal` and `temporal_visibility` databases (pg_stat_user_tables), the transactions it
// commits (pg_stat_database), and the cluster's WAL syncs and bytes (pg_stat_wal, every database,
// the application's too), read before and after a measured run.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const DATABASES = ['temporal', 'temporal_visibility'];

export interface WriteCounts {
  /** `database.table insert|update|delete` → rows. */
  rows: Map<string, number>;
  /** `database transactions` → committed (read-only ones too); `WAL syncs` and `WAL kB` for the cluster. */
  commits: Map<string, number>;
}

async function onDatabase<T>(databaseUrl: string, database: string, query: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

/** Counters now. Backends report their counters when idle, at most once a second: wait that out first. */
export async function readWrites(databaseUrl: string): Promise<WriteCounts> {
  await sleep(1_500);
  const counts: WriteCounts = { rows: new Map(), commits: new Map() };
  for (const database of DATABASES) {
    await onDatabase(databaseUrl, database, async (client) => {
      const tables = await client.query<{ relname: string; ins: string; upd: string; del: string }>(
        'select relname, n_tup_ins as ins, n_tup_upd as upd, n_tup_del as del from pg_stat_user_tables',
      );
      for (const t of tables.rows) {
        for (const [kind, n] of [
          ['insert', t.ins],
          ['update', t.upd],
          ['delete', t.del],
        ] as const)
          counts.rows.set(`${database}.${t.relname} ${kind}`, Number(n));
      }
      const db = await client.query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = current_database()');
      counts.commits.set(`${database} transactions`, Number(db.rows[0]?.n ?? 0));
    });
  }
  await onDatabase(databaseUrl, 'postgres', async (client) => {
    const wal = await client.query<{ syncs: string; bytes: string }>('select wal_sync as syncs, wal_bytes as bytes from pg_stat_wal');
    counts.commits.set('WAL syncs (cluster)', Number(wal.rows[0]?.syncs ?? 0));
    counts.commits.set('WAL kB (cluster)', Number(wal.rows[0]?.bytes ?? 0) / 1024);
  });
  return counts;
}

/** Per journey between two readings, largest first; tables the run did not write are left out. */
export function writesPerJourney(before: WriteCounts, after: WriteCounts, journeys: number): { rows: [string, number][]; commits: [string, number][] } {
  const delta = (a: Map<string, number>, b: Map<string, number>) =>
    [...a]
      .map(([key, n]): [string, number] => [key, (n - (b.get(key) ?? 0)) / journeys])
      .filter(([, n]) => n > 0)
      .sort((x, y) => y[1] - x[1]);
  return { rows: delta(after.rows, before.rows), commits: delta(after.commits, before.commits) };
}
