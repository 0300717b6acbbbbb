// Rate limits hold across API processes: two apps over one database (nothing shared but
// PostgreSQL, as two processes are) give a caller one budget between them, not one each.
import type { InjectOptions } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { createHarness, type Harness } from './harness';

const MAX = 4;
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

/**
 * Sends `n` requests alternating between the two apps and returns the statuses. After each, it
 * waits until the count is written and read back (two flushes), as a busy process would have it.
 */
async function alternate(shared: boolean, n: number, key: string, request: (i: number) => InjectOptions): Promise<number[]> {
  // A day's window: the count cannot restart at a window's edge in the middle of the test.
  const options = { rateLimit: { max: MAX, windowMs: 24 * 3_600_000, shared } };
  const apps = [await buildApp({ ...h.deps, bootstrapToken: null }, options), await buildApp({ ...h.deps, bootstrapToken: null }, options)];
  try {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      statuses.push((await apps[i % 2]!.inject(request(i))).statusCode);
      if (!shared) continue;
      const deadline = Date.now() + 10_000;
      // Refused requests may not be counted (a spent address is refused before it counts): up to the limit.
      const written = Math.min(i + 1, MAX);
      while (Number((await h.deps.db('api_rate_counts').where({ key }).sum('hits as n').first())?.n ?? 0) < written && Date.now() < deadline) await sleep(20);
      await sleep(250);
    }
    return statuses;
  } finally {
    await Promise.all(apps.map((app) => app.close()));
  }
}

describe('rate limits shared by API processes', () => {
  it('gives made-up tokens from one address one budget across both processes', async () => {
    const statuses = await alternate(true, 8, 'ip:10.7.0.1', (i) => ({
      method: 'GET',
      url: '/v1/products',
      remoteAddress: '10.7.0.1',
      headers: { authorization: `Bearer made-up-${i}` },
    }));
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
  });

  it('gives a signed-in user one budget across both processes', async () => {
    const statuses = await alternate(true, 6, 'user:usr-dach-1', () => ({
      method: 'GET',
      url: '/v1/products',
      remoteAddress: '10.7.0.2',
      headers: { authorization: `Bearer ${h.tokens.rep}` },
    }));
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('would double the budget with counts kept in each process', async () => {
    const statuses = await alternate(false, 10, 'ip:10.7.0.3', (i) => ({
      method: 'GET',
      url: '/v1/products',
      remoteAddress: '10.7.0.3',
      headers: { authorization: `Bearer made-up-${i}` },
    }));
    expect(statuses.filter((s) => s === 401)).toHaveLength(8);
  });
});
