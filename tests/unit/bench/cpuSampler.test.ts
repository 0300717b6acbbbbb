// The benchmark's CPU sampler on real processes: a busy loop shows, an idle process does not, a
// process tree is summed, and PostgreSQL's backends are told apart by the database they serve.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { sampleCpu } from '../../../bench/cpuSampler';
import { postgresLabel, postmasterPid } from '../../../bench/postgresProcesses';

const children: ChildProcess[] = [];
afterEach(() => {
  // The whole process group: the busy loop is a grandchild, and must not outlive the test.
  for (const c of children.splice(0)) if (c.pid) process.kill(-c.pid, 'SIGKILL');
});

function start(script: string): ChildProcess {
  // `; true` keeps the shell alive as the parent, so the busy node process is a grandchild.
  const child = spawn('/bin/sh', ['-c', `${script}; true`], { stdio: 'ignore', detached: true });
  children.push(child);
  return child;
}

describe('sampleCpu', () => {
  it('counts a busy process tree and not an idle one', async () => {
    const busy = start(`${process.execPath} -e "for (;;) {}"`);
    const idle = start('sleep 30');
    const sampler = sampleCpu(
      [
        { pid: busy.pid!, label: 'busy', tree: true },
        { pid: idle.pid!, label: 'idle', tree: true },
        { pid: busy.pid!, label: 'busy shell alone', tree: false },
      ],
      100,
    );
    await sleep(1_500);
    const shares = sampler.stop();
    expect(shares.byLabel.get('busy') ?? 0).toBeGreaterThan(0.02); // even on a crowded machine
    expect(shares.byLabel.get('idle') ?? 0).toBeLessThan(0.02);
    expect(shares.byLabel.get('busy shell alone') ?? 0).toBeLessThan(0.02);
    expect(shares.machineBusy).toBeGreaterThanOrEqual(shares.byLabel.get('busy') ?? 0);
  });

  it("labels PostgreSQL's backends by their database", async () => {
    const { databaseUrl } = inject('stack');
    const postmaster = await postmasterPid(databaseUrl);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const sampler = sampleCpu([{ pid: postmaster, label: postgresLabel, tree: true }], 100);
      await client.query('select count(*) from generate_series(1, 3000000)');
      await sleep(200);
      const shares = sampler.stop();
      expect(shares.byLabel.get("PostgreSQL: the application's connections") ?? 0).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('names the database from the process titles PostgreSQL sets', () => {
    expect(postgresLabel('postgres: postgres temporal 127.0.0.1(51234) idle')).toBe("PostgreSQL: Temporal's connections");
    expect(postgresLabel('postgres: postgres temporal_visibility 127.0.0.1(51235) UPDATE')).toBe("PostgreSQL: Temporal's connections");
    expect(postgresLabel('postgres: postgres bench_journeys_server 127.0.0.1(51236) idle in transaction')).toBe("PostgreSQL: the application's connections");
    expect(postgresLabel('postgres: autovacuum worker temporal')).toBe("PostgreSQL: Temporal's connections");
    expect(postgresLabel('postgres: logical replication launcher')).toBe('PostgreSQL: postmaster, WAL writer, checkpointer');
    expect(postgresLabel('postgres: background writer')).toBe('PostgreSQL: postmaster, WAL writer, checkpointer');
  });
});
