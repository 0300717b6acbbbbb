// Rate limits hold across API processes: two apps over one database (nothing shared but
// PostgreSQL, as two processes are) give a caller one budget between them, not one each.
import type { InjectOptions } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { createHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

/** Sends `n` requests alternating between the two apps, a flush apart, and returns the statuses. */
async function alternate(shared: boolean, n: number, request: (i: number) => InjectOptions): Promise<number[]> {
  const options = { rateLimit: { max: 4, windowMs: 60_000, shared } };
  const apps = [await buildApp({ ...h.deps, bootstrapToken: null }, options), await buildApp({ ...h.deps, bootstrapToken: null }, options)];
  try {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      statuses.push((await apps[i % 2]!.inject(request(i))).statusCode);
      // Each app writes its counts within 100 ms; the next request then sees the other's.
      await sleep(250);
    }
    return statuses;
  } finally {
    await Promise.all(apps.map((app) => app.close()));
  }
}

describe('rate limits shared by API processes', () => {
  it('gives made-up tokens from one address one budget across both processes', async () => {
    const statuses = await alternate(true, 8, (i) => ({ method: 'GET', url: '/v1/products', remoteAddress: '10.7.0.1', headers: { authorization: `Bearer made-up-${i}` } }));
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
  });

  it('gives a signed-in user one budget across both processes', async () => {
    const statuses = await alternate(true, 6, () => ({ method: 'GET', url: '/v1/products', remoteAddress: '10.7.0.2', headers: { authorization: `Bearer ${h.tokens.rep}` } }));
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('would double the budget with counts kept in each process', async () => {
    const statuses = await alternate(false, 10, (i) => ({ method: 'GET', url: '/v1/products', remoteAddress: '10.7.0.3', headers: { authorization: `Bearer made-up-${i}` } }));
    expect(statuses.filter((s) => s === 401)).toHaveLength(8);
  });
});
