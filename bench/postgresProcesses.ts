// Our PostgreSQL's processes for the CPU sampler: the postmaster (the root of the tree) and a
// label per process saying whom it serves.
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** The postmaster: the parent of any backend (our PostgreSQL runs on this machine). */
export async function postmasterPid(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } finally {
    await client.end();
  }
}

/** PostgreSQL's processes by whom they serve: backends name their database in their title. */
export function postgresLabel(cmdline: string): string {
  const database = (/^postgres: \S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(cmdline) ?? /^postgres: autovacuum worker (\S+)/.exec(cmdline))?.[1];
  if (database === 'temporal' || database === 'temporal_visibility') return "PostgreSQL: Temporal's connections";
  if (database) return "PostgreSQL: the application's connections";
  return 'PostgreSQL: postmaster, WAL writer, checkpointer';
}
