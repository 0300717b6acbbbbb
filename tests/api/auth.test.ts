// Authentication, users, idempotency of user creation, rate limits, logs and the public endpoints.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { FIGURES_INTERVAL_MS } from '../../api/cached';
import { hashToken } from '../../db/queries/users';
import { createHarness, type Harness } from './harness';

describe('auth, users and the public endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a missing, malformed or unknown token with 401', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer', 'Bearer not-a-token', `Bearer ${'x'.repeat(600)}`]) {
      const response = await h.app.inject({ method: 'GET', url: '/v1/journeys', headers: authorization ? { authorization } : {} });
      expect(response.statusCode, String(authorization)).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('refuses a deactivated user', async () => {
    const created = await h.call('admin', 'POST', '/v1/users', { name: 'Temp', email: 'temp@lead-to-cash.local', roles: ['viewer'] });
    const { id, token } = created.json<{ id: string; token: string }>();
    expect((await h.app.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    await h.deps.db('users').where({ id }).update({ active: false });
    expect((await h.app.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it('names the roles a route needs in its 403', async () => {
    const response = await h.call('viewer', 'POST', '/v1/users', { name: 'X', email: 'x@example.com', roles: ['viewer'] });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'forbidden', details: { requiredRoles: ['admin'] } });
    expect(response.json().error.message).toContain('admin');
  });

  it('upserts the bootstrap admin, whose token is stored hashed only', async () => {
    const admin = await h.deps.db('users').where({ id: 'usr-admin' }).first();
    expect(admin.roles).toEqual(['admin']);
    expect(admin.token_hash).toBe(hashToken(h.tokens.admin));
    expect(JSON.stringify(admin)).not.toContain(h.tokens.admin);
    const me = await h.call('admin', 'GET', '/v1/users/me');
    expect(me.json()).toMatchObject({ id: 'usr-admin', roles: ['admin'] });
  });

  it('creates a user whose token works once shown, and stores only its hash', async () => {
    const response = await h.call('admin', 'POST', '/v1/users', {
      name: 'Rita Rep',
      email: 'rita@lead-to-cash.local',
      roles: ['sales_rep'],
      managerId: 'usr-manager',
      team: 'dach',
    });
    expect(response.statusCode).toBe(201);
    const { id, token } = response.json<{ id: string; token: string }>();
    const row = await h.deps.db('users').where({ id }).first();
    expect(row).toMatchObject({ manager_id: 'usr-manager', token_hash: hashToken(token) });
    const me = await h.app.inject({ method: 'GET', url: '/v1/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ id, name: 'Rita Rep', roles: ['sales_rep'], managerId: 'usr-manager', team: 'dach' });
    // The manager now sees the new rep in the directory.
    const directory = await h.call('manager', 'GET', '/v1/users');
    expect(directory.json<{ id: string }[]>().map((u) => u.id)).toContain(id);
  });

  it('refuses bad users: 400 with paths, unknown fields, unknown manager, 409 on a taken email', async () => {
    const invalid = await h.call('admin', 'POST', '/v1/users', { name: '', email: 'nope', roles: ['king'] });
    expect(invalid.statusCode).toBe(400);
    const paths = invalid.json().error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.email', 'body.roles.0']));
    const extra = await h.call('admin', 'POST', '/v1/users', { name: 'A', email: 'a@example.com', roles: ['viewer'], active: false });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details.issues).toEqual([{ path: 'body.active', message: 'is not a known field' }]);
    const manager = await h.call('admin', 'POST', '/v1/users', { name: 'A', email: 'a@example.com', roles: ['viewer'], managerId: 'usr-nobody' });
    expect(manager.statusCode).toBe(400);
    expect(manager.json().error.details.issues[0].path).toBe('body.managerId');
    const taken = await h.call('admin', 'POST', '/v1/users', { name: 'Dup', email: 'OPS@lead-to-cash.local', roles: ['viewer'] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('email_taken');
  });

  it('replays a user creation with the same Idempotency-Key and refuses another body with 422', async () => {
    const body = { name: 'Idem Potent', email: 'idem@lead-to-cash.local', roles: ['finance'] };
    const headers = { 'idempotency-key': 'create-idem-1' };
    const first = await h.call('admin', 'POST', '/v1/users', body, headers);
    const again = await h.call('admin', 'POST', '/v1/users', body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await h.deps.db('users').where({ email: 'idem@lead-to-cash.local' }).count('* as n')).toEqual([{ n: '1' }]);
    const other = await h.call('admin', 'POST', '/v1/users', { ...body, name: 'Someone Else' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    const bad = await h.call('admin', 'POST', '/v1/users', body, { 'idempotency-key': 'has spaces' });
    expect(bad.statusCode).toBe(400);
  });

  it('runs concurrent requests with one key exactly once', async () => {
    const body = { name: 'Race', email: 'race@lead-to-cash.local', roles: ['viewer'] };
    const responses = await Promise.all(Array.from({ length: 8 }, () => h.call('admin', 'POST', '/v1/users', body, { 'idempotency-key': 'race-1' })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(await h.deps.db('users').where({ email: 'race@lead-to-cash.local' }).count('* as n')).toEqual([{ n: '1' }]);
  });

  it('lists products from the catalogue with price, accessories and availability', async () => {
    const response = await h.call('viewer', 'GET', '/v1/products');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toContainEqual({
      sku: 'CAM-100',
      name: 'Security camera',
      category: 'cameras',
      price: { amount: '120.00', currency: 'EUR' },
      accessories: ['MNT-10', 'SD-64'],
      // The demo seed keeps 5 cameras and nothing on order.
      availability: { onHand: 5, reserved: 0, available: 5, incoming: 0 },
    });
    expect((await h.call('viewer', 'GET', '/v1/products?currency=eur')).statusCode).toBe(400);
    expect((await h.call('viewer', 'GET', '/v1/products?currency=USD')).json()[0].price).toBeNull();
  });

  it('serves health, readiness, the OpenAPI document and the docs page without a token', async () => {
    expect((await h.call(null, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.call(null, 'GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual([
      { name: 'postgres', ok: true },
      { name: 'temporal', ok: true },
    ]);
    const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/leads',
        '/v1/journeys/{id}/events',
        '/v1/finance/stuck/actions',
        '/v1/process-definitions/{key}/versions/{version}/publish',
        '/v1/pipeline',
      ]),
    );
    expect(doc.paths['/v1/leads'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    const docs = await h.call(null, 'GET', '/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes and wrong media types with the error shape', async () => {
    const missing = await h.call('rep', 'GET', '/v1/nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const form = await h.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    expect(form.statusCode).toBe(415);
    // XML is read (bank statements take it), but a JSON route refuses it as a body of the wrong shape.
    const xml = await h.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/xml' },
      payload: '<user/>',
    });
    expect(xml.statusCode).toBe(400);
    expect(xml.json().error.code).toBe('invalid_request');
    const broken = await h.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_request');
    const huge = await h.call('admin', 'POST', '/v1/users', { name: 'x'.repeat(300 * 1024), email: 'a@b.example', roles: ['viewer'] });
    expect(huge.statusCode).toBe(413);
  });

  it('rate-limits per user with 429 and Retry-After, logs JSON with request ids and no secrets', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const app = await buildApp({ ...h.deps, bootstrapToken: null }, { rateLimit: { max: 3, windowMs: 60_000 }, logger: { stream } });
    try {
      const as = (persona: 'rep' | 'finance') => ({ authorization: `Bearer ${h.tokens[persona]}` });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/products', headers: as('rep') })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await app.inject({ method: 'GET', url: '/v1/products', headers: { ...as('rep'), 'x-request-id': 'req-trace-1' } });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json().error.code).toBe('rate_limited');
      expect(limited.headers['x-request-id']).toBe('req-trace-1');
      // Another user has their own budget; the same user from another address does not.
      expect((await app.inject({ method: 'GET', url: '/v1/products', headers: as('finance') })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/v1/products', headers: as('rep'), remoteAddress: '10.9.8.7' })).statusCode).toBe(429);
    } finally {
      await app.close();
    }
    const entries = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { headers?: Record<string, string> } });
    expect(entries.some((e) => e.reqId === 'req-trace-1')).toBe(true);
    expect(lines.join('\n')).not.toContain(h.tokens.rep);
    expect(lines.join('\n')).not.toContain(h.tokens.finance);
  });

  it('limits missing and made-up tokens per address, refused before any database lookup', async () => {
    const app = await buildApp({ ...h.deps, bootstrapToken: null }, { rateLimit: { max: 3, windowMs: 60_000 } });
    const lookups: string[] = [];
    const onQuery = (query: { sql: string }) => {
      if (query.sql.includes('token_hash')) lookups.push(query.sql);
    };
    h.deps.db.on('query', onQuery);
    try {
      const from = (remoteAddress: string, token?: string) =>
        app.inject({ method: 'GET', url: '/v1/products', remoteAddress, headers: token ? { authorization: `Bearer ${token}` } : {} });
      // The rep signs in from the address first; valid requests do not spend the address's budget.
      for (let i = 0; i < 2; i++) expect((await from('10.0.0.1', h.tokens.rep)).statusCode).toBe(200);
      // Each made-up token used to open a fresh budget; now they share the address's.
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await from('10.0.0.1', `made-up-${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, ...Array(7).fill(429)]);
      // One lookup for the rep (the second request is answered from the cached sign-in), one per refused token.
      expect(lookups).toHaveLength(1 + 3);
      const limited = await from('10.0.0.1', 'made-up-again');
      expect(limited.json().error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(lookups).toHaveLength(4);
      // Requests without a token spend the same budget.
      expect((await from('10.0.0.1')).statusCode).toBe(429);
      // A token that signed in lately still reaches its lookup; an unseen one does not.
      expect((await from('10.0.0.1', h.tokens.finance)).statusCode).toBe(429);
      expect((await from('10.0.0.1', h.tokens.rep)).statusCode).toBe(200);
      // Another address has its own budget; public routes spend it too.
      expect((await from('10.0.0.2', 'made-up-x')).statusCode).toBe(401);
      expect((await from('10.0.0.2')).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/v1/openapi.json', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/v1/openapi.json', remoteAddress: '10.0.0.2' })).statusCode).toBe(429);
      // Probes are never limited.
      expect((await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
    } finally {
      h.deps.db.off('query', onQuery);
      await app.close();
    }
  });

  it('serves /metrics and /readyz from figures read at most once per interval', async () => {
    const app = await buildApp({ ...h.deps, bootstrapToken: null });
    const queries: string[] = [];
    const onQuery = (query: { sql: string }) => {
      if (/from "journeys"|^select 1$/.test(query.sql)) queries.push(query.sql);
    };
    h.deps.db.on('query', onQuery);
    try {
      const scrape = () => Promise.all([app.inject({ method: 'GET', url: '/metrics' }), app.inject({ method: 'GET', url: '/readyz' })]);
      for (let i = 0; i < 5; i++) {
        const rounds = await Promise.all(Array.from({ length: 10 }, scrape));
        for (const [metrics, ready] of rounds) {
          expect(metrics.statusCode).toBe(200);
          expect(metrics.body).toContain('l2c_journeys_stuck_total');
          expect(ready.json().status).toBe('ready');
        }
      }
      // 100 calls: two journey queries for the metrics and one probe for readiness.
      expect(queries.filter((q) => q.includes('journeys'))).toHaveLength(2);
      expect(queries.filter((q) => q === 'select 1')).toHaveLength(1);
      // After the interval the figures are read again, once.
      await new Promise((resolve) => setTimeout(resolve, FIGURES_INTERVAL_MS + 100));
      await Promise.all(Array.from({ length: 10 }, scrape));
      expect(queries.filter((q) => q.includes('journeys'))).toHaveLength(4);
      expect(queries.filter((q) => q === 'select 1')).toHaveLength(2);
    } finally {
      h.deps.db.off('query', onQuery);
      await app.close();
    }
  });
});
