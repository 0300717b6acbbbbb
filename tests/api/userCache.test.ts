// Cached sign-ins (api/userCache.ts): a repeated request does not read `users` again, and a change
// made anywhere (here by plain SQL, as another API process would) reaches the cache through
// PostgreSQL's notification, also after the listening connection was lost and came back. The sign-in
// is kept for ten minutes here, so only the notification can explain a refusal within the test.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness';

const LONG_TTL_MS = 10 * 60_000;

describe('cached sign-ins', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ userCacheTtlMs: LONG_TTL_MS });
  });
  afterAll(async () => {
    await h.close();
  });

  const me = (token: string) => h.app.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization: `Bearer ${token}` } });
  const newUser = async (roles: string[]) => {
    const response = await h.call('admin', 'POST', '/v1/users', {
      name: 'Carl Cached',
      email: `carl.${Math.random().toString(36).slice(2)}@lead-to-cash.local`,
      roles,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; token: string }>();
  };
  /** The next answer's status, asked again until it is `status` (at most a minute). */
  async function eventually(token: string, status: number): Promise<number> {
    const deadline = Date.now() + 60_000;
    let last = (await me(token)).statusCode;
    while (last !== status && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = (await me(token)).statusCode;
    }
    return last;
  }
  /** SQL statements over `users` that `run` sent. */
  async function usersQueries(run: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listener = (query: Knex.Sql) => {
      if (/"users"|\busers\b/.test(query.sql)) seen.push(query.sql);
    };
    h.deps.db.on('query', listener);
    try {
      await run();
    } finally {
      h.deps.db.off('query', listener);
    }
    return seen;
  }
  const listenerPids = async () =>
    (
      await h.deps.db.raw<{ rows: { pid: number }[] }>(`select pid from pg_stat_activity where datname = current_database() and query = 'LISTEN users_changed'`)
    ).rows.map((r) => r.pid);

  it('looks a token up once for repeated requests', async () => {
    const { token } = await newUser(['finance']);
    const tokenLookups = async () => (await usersQueries(() => me(token))).filter((sql) => sql.includes('token_hash'));
    expect(await tokenLookups()).toHaveLength(1);
    // The new user's own notification may still clear the first sign-in; after that it stays.
    const deadline = Date.now() + 60_000;
    let lookups = await tokenLookups();
    while (lookups.length > 0 && Date.now() < deadline) lookups = await tokenLookups();
    expect(lookups).toEqual([]);
    expect(await tokenLookups()).toEqual([]);
  });

  it("keeps a manager's reports with the sign-in, and drops them when a report changes", async () => {
    const manager = await newUser(['sales_manager']);
    const rep = await newUser(['sales_rep']);
    const scoped = () => h.app.inject({ method: 'GET', url: '/v1/pipeline', headers: { authorization: `Bearer ${manager.token}` } });
    // The two new users' own notifications may still clear the first sign-ins; after that they stay.
    const settle = Date.now() + 60_000;
    let first = await usersQueries(scoped);
    while (first.length > 0 && Date.now() < settle) first = await usersQueries(scoped);
    expect(first).toEqual([]);
    expect(await usersQueries(scoped)).toEqual([]);
    // Another process gives the manager a report: the cached scope must not outlive it.
    await h.deps.db('users').where({ id: rep.id }).update({ manager_id: manager.id });
    const deadline = Date.now() + 60_000;
    let reread: string[] = [];
    while (reread.length === 0 && Date.now() < deadline) reread = await usersQueries(scoped);
    expect(reread.some((sql) => sql.includes('manager_id'))).toBe(true);
  });

  it('refuses a token deactivated by another process, through the notification', async () => {
    const { id, token } = await newUser(['warehouse']);
    expect((await me(token)).statusCode).toBe(200);
    await h.deps.db('users').where({ id }).update({ active: false });
    expect(await eventually(token, 401)).toBe(401);
  });

  it('listens again after its connection is cut, and then hears of changes', async () => {
    const { id, token } = await newUser(['viewer']);
    const [before] = await listenerPids();
    expect(before).toBeTypeOf('number');
    await h.deps.db.raw('select pg_terminate_backend(?)', [before!]);
    const deadline = Date.now() + 60_000;
    let after = await listenerPids();
    while ((after.length === 0 || after.includes(before!)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await listenerPids();
    }
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect((await me(token)).statusCode).toBe(200);
    await h.deps.db('users').where({ id }).update({ token_hash: 'rotated elsewhere' });
    expect(await eventually(token, 401)).toBe(401);
  });
});
