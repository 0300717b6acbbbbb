// As root, PostgreSQL runs as `nobody`, who cannot enter a folder made by mkdtemp (0700). The
// private cluster must start in such a data folder anyway, and a folder above it that nobody
// cannot enter stops the start with a message that names the fixes.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../../scripts/stack/postgres';
import { freePort } from '../../scripts/stack/process';

const asRoot = process.getuid?.() === 0;
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!asRoot)('the private PostgreSQL as root', () => {
  it('starts in a data folder made by mkdtemp, opening it for search only', { timeout: 120_000 }, async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'l2c-root-'));
    made.push(dataRoot);
    expect(statSync(dataRoot).mode & 0o777).toBe(0o700);
    const lines: string[] = [];
    const server = await startPostgres({
      dataDir: join(dataRoot, 'postgres'),
      dataRoot,
      port: await freePort(),
      logFile: join(dataRoot, 'logs', 'postgres.log'),
      say: (l) => lines.push(l),
    });
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await server.stop();
    }
    // Others may pass through, not list.
    expect(statSync(dataRoot).mode & 0o777).toBe(0o701);
    expect(lines.join('\n')).toContain(`enter ${dataRoot}`);
  });

  it('stops with the fixes named when a folder above the data folder shuts nobody out', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'l2c-closed-'));
    made.push(outer);
    const dataRoot = join(outer, 'data');
    mkdirSync(dataRoot);
    const started = startPostgres({
      dataDir: join(dataRoot, 'postgres'),
      dataRoot,
      port: await freePort(),
      logFile: join(dataRoot, 'postgres.log'),
      say: () => undefined,
    });
    await expect(started).rejects.toThrow(`nobody cannot enter ${outer}`);
    await expect(started).rejects.toThrow(`chmod o+x ${outer}`);
    await expect(started).rejects.toThrow('DATABASE_URL');
    expect(statSync(outer).mode & 0o777).toBe(0o700);
  });
});
