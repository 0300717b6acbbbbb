// Routes that read the journey projection: the list (filters, cursor pages, scope), the pipeline,
// the finance stuck monitor and its reassign action, and the metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../db/queries/users';
import { hoursAgo, insertJourney } from './fixtures';
import { createHarness, type Harness, type Persona } from './harness';

describe('journeys from the projection', () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness();
    const db = h.deps.db;
    ids.repOpen = await insertJourney(db, { ownerId: 'usr-dach-1', stage: 'opportunity', amount: '100.00', createdAt: hoursAgo(10) });
    ids.repQuote = await insertJourney(db, { ownerId: 'usr-dach-1', stage: 'quote_sent', status: 'waiting', amount: '250.50', createdAt: hoursAgo(9) });
    ids.otherRep = await insertJourney(db, { ownerId: 'usr-west-1', stage: 'opportunity', amount: '1000.00', createdAt: hoursAgo(8) });
    ids.parked = await insertJourney(db, {
      ownerId: 'usr-dach-2',
      stage: 'invoicing',
      status: 'parked',
      parkedActivity: 'issueInvoice',
      lastError: 'tax rate missing for XX',
      parkedSince: hoursAgo(30),
      amount: '500.00',
      createdAt: hoursAgo(7),
    });
    ids.collections = await insertJourney(db, {
      ownerId: 'usr-west-2',
      stage: 'collections',
      status: 'awaiting_confirmation',
      pendingRole: 'finance',
      pendingSince: hoursAgo(2),
      stageEnteredAt: hoursAgo(2),
      amount: '900.00',
      createdAt: hoursAgo(6),
    });
    ids.overdueCheckpoint = await insertJourney(db, {
      ownerId: 'usr-dach-1',
      stage: 'quoting',
      status: 'awaiting_confirmation',
      pendingRole: 'sales_manager',
      pendingSince: hoursAgo(48),
      stageEnteredAt: hoursAgo(48),
      slaDueAt: hoursAgo(24),
      amount: '4000.00',
      createdAt: hoursAgo(5),
    });
    ids.slaBreached = await insertJourney(db, {
      ownerId: 'usr-dach-1',
      stage: 'fulfilment',
      status: 'running',
      stageEnteredAt: hoursAgo(200),
      slaDueAt: hoursAgo(80),
      amount: '77.00',
      currency: 'USD',
      createdAt: hoursAgo(4),
    });
    ids.closed = await insertJourney(db, {
      ownerId: 'usr-dach-1',
      stage: 'closed',
      status: 'done',
      amount: '0.00',
      slaDueAt: hoursAgo(100),
      createdAt: hoursAgo(3),
    });
    ids.unowned = await insertJourney(db, { ownerId: null, stage: 'lead', status: 'running', createdAt: hoursAgo(2) });
  });
  afterAll(async () => {
    await h.close();
  });

  const list = async (as: Persona, query = '') => {
    const response = await h.call(as, 'GET', `/v1/journeys${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{
      items: { id: string; stuck: { reason: string } | null; owner: { id: string; name: string } | null }[];
      nextCursor: string | null;
    }>();
  };

  it('scopes the list: a rep sees own journeys, a manager those of reports, others all', async () => {
    expect((await list('rep')).items.map((j) => j.id).sort()).toEqual([ids.repOpen, ids.repQuote, ids.overdueCheckpoint, ids.slaBreached, ids.closed].sort());
    expect((await list('otherRep')).items.map((j) => j.id)).toEqual([ids.otherRep]);
    expect((await list('manager')).items).toHaveLength(8);
    expect((await list('otherManager')).items).toEqual([]);
    for (const persona of ['viewer', 'finance', 'ops', 'warehouse', 'admin'] as const) expect((await list(persona)).items).toHaveLength(9);
  });

  it('lets a manager of managers see the journeys of second-level reports, and only those', async () => {
    const db = h.deps.db;
    await db('users').insert([
      { id: 'usr-head', name: 'Hanna Head', email: 'head@lead-to-cash.local', roles: ['sales_manager'] },
      { id: 'usr-mid', name: 'Mick Mid', email: 'mid@lead-to-cash.local', roles: ['sales_manager'], manager_id: 'usr-head' },
      { id: 'usr-low', name: 'Lou Low', email: 'low@lead-to-cash.local', roles: ['sales_rep'], manager_id: 'usr-mid' },
    ]);
    const tokens = { head: 'head-token-0123456789', mid: 'mid-token-0123456789' };
    await db('users')
      .where({ id: 'usr-head' })
      .update({ token_hash: hashToken(tokens.head) });
    await db('users')
      .where({ id: 'usr-mid' })
      .update({ token_hash: hashToken(tokens.mid) });
    const low = await insertJourney(db, { ownerId: 'usr-low', stage: 'opportunity' });
    const mid = await insertJourney(db, { ownerId: 'usr-mid', stage: 'opportunity' });
    try {
      const seen = async (token: string) => {
        const response = await h.app.inject({ method: 'GET', url: '/v1/journeys', headers: { authorization: `Bearer ${token}` } });
        return response
          .json<{ items: { id: string }[] }>()
          .items.map((j) => j.id)
          .sort();
      };
      expect(await seen(tokens.head)).toEqual([low, mid].sort());
      expect(await seen(tokens.mid)).toEqual([low, mid].sort());
      const detail = await h.app.inject({ method: 'GET', url: `/v1/journeys/${low}`, headers: { authorization: `Bearer ${tokens.head}` } });
      expect(detail.statusCode).toBe(200);
    } finally {
      await db('journeys').whereIn('id', [low, mid]).delete();
      await db('users').where({ id: 'usr-low' }).delete();
      await db('users').where({ id: 'usr-mid' }).delete();
      await db('users').where({ id: 'usr-head' }).delete();
    }
  });

  it('filters by stage, status, owner, stuck and search, newest first', async () => {
    expect((await list('admin', '?stage=opportunity')).items.map((j) => j.id)).toEqual([ids.otherRep, ids.repOpen]);
    expect((await list('admin', '?status=parked')).items.map((j) => j.id)).toEqual([ids.parked]);
    expect((await list('rep', '?owner=me&stage=quote_sent')).items.map((j) => j.id)).toEqual([ids.repQuote]);
    expect((await list('admin', '?owner=usr-west-1')).items[0]?.owner).toEqual({ id: 'usr-west-1', name: 'Wendy West' });
    expect((await list('admin', '?stuck=true')).items.map((j) => j.id)).toEqual([ids.slaBreached, ids.overdueCheckpoint, ids.collections, ids.parked]);
    expect((await list('admin', '?stuck=activity_failing')).items.map((j) => j.stuck?.reason)).toEqual(['activity_failing']);
    expect((await list('admin', '?stuck=false')).items).toHaveLength(5);
    expect((await list('admin', `?q=${encodeURIComponent(ids.repQuote!)}`)).items.map((j) => j.id)).toEqual([ids.repQuote]);
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list('admin', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual((await list('admin', '?limit=100')).items.map((j) => j.id));
    expect(new Set(seen).size).toBe(9);
  });

  it('refuses bad list queries with 400 and the parameter path', async () => {
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?stuck=maybe',
      '?cursor=garbage',
      '?unknown=1',
      `?cursor=${Buffer.from('["1",5]').toString('base64url')}`,
    ]) {
      const response = await h.call('admin', 'GET', `/v1/journeys${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.details.issues[0].path, query).toMatch(/^querystring/);
    }
  });

  it('refuses the NUL character anywhere with 400 and its path, never reaching PostgreSQL', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/v1/pipeline?definition=%00', undefined, 'querystring.definition'],
      ['GET', '/v1/journeys?q=a%00b', undefined, 'querystring.q'],
      ['GET', '/v1/journeys/jrn_%00', undefined, 'params.id'],
      ['POST', '/v1/journeys/jrn_x/events', { type: 'LOSE', note: 'bad\u0000note' }, 'body.note'],
    ];
    for (const [method, url, body, path] of cases) {
      const response = await h.call('admin', method as 'GET' | 'POST', url, body);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.details.issues[0].path, url).toBe(path);
    }
  });

  it("answers 404 for a journey outside the caller's scope, as for one that does not exist", async () => {
    const other = await h.call('rep', 'GET', `/v1/journeys/${ids.otherRep}`);
    expect(other.statusCode).toBe(404);
    expect((await h.call('rep', 'GET', '/v1/journeys/jrn_missing')).statusCode).toBe(404);
    expect((await h.call('rep', 'POST', `/v1/journeys/${ids.otherRep}/events`, { type: 'LOSE' })).statusCode).toBe(404);
    expect((await h.call('rep', 'POST', `/v1/journeys/${ids.otherRep}/confirmations`, { stage: 'opportunity', decision: 'approve' })).statusCode).toBe(404);
    // Callers who see everything reach Temporal directly, which knows neither journey.
    expect((await h.call('ops', 'POST', '/v1/journeys/jrn_missing/events', { type: 'CANCEL' })).statusCode).toBe(404);
    expect((await h.call('finance', 'POST', `/v1/journeys/${ids.otherRep}/confirmations`, { stage: 'opportunity', decision: 'approve' })).statusCode).toBe(404);
  });

  it('counts and sums the pipeline per stage within the scope', async () => {
    type Totals = { count: number; amounts: { amount: string; currency: string }[] };
    const all = (await h.call('admin', 'GET', '/v1/pipeline')).json<{
      stages: { stage: string; count: number; amounts: Totals['amounts']; countsIn: string | null }[];
      openPipeline: Totals;
      won: Totals;
      total: { count: number };
    }>();
    expect(all.stages.map((s) => s.stage)).toEqual(['lead', 'opportunity', 'quoting', 'quote_sent', 'fulfilment', 'invoicing', 'collections', 'closed']);
    expect(all.stages.find((s) => s.stage === 'opportunity')).toEqual({
      stage: 'opportunity',
      count: 2,
      amounts: [{ amount: '1100.00', currency: 'EUR' }],
      countsIn: 'openPipeline',
    });
    // 100.00 + 250.50 + 1000.00 + 500.00 + 900.00 + 4000.00; the closed journey (no invoice here) is won with 0.00.
    expect(all.openPipeline).toEqual({
      count: 8,
      amounts: [
        { amount: '6750.50', currency: 'EUR' },
        { amount: '77.00', currency: 'USD' },
      ],
    });
    expect(all.won).toEqual({ count: 1, amounts: [{ amount: '0.00', currency: 'EUR' }] });
    expect(all.total).toEqual({ count: 9 });
    const rep = (await h.call('rep', 'GET', '/v1/pipeline')).json<typeof all>();
    expect(rep.stages.find((s) => s.stage === 'opportunity')).toEqual({
      stage: 'opportunity',
      count: 1,
      amounts: [{ amount: '100.00', currency: 'EUR' }],
      countsIn: 'openPipeline',
    });
    expect(rep.total.count).toBe(5);
  });

  it('lists stuck journeys for finance with reason, age, amount, owner and last error', async () => {
    const response = await h.call('finance', 'GET', '/v1/finance/stuck');
    expect(response.statusCode).toBe(200);
    const items = response.json<{ items: Record<string, unknown>[] }>().items;
    expect(items.map((i) => [i.journeyId, i.reason])).toEqual([
      [ids.slaBreached, 'sla_breached'],
      [ids.overdueCheckpoint, 'awaiting_confirmation'],
      [ids.parked, 'activity_failing'],
      [ids.collections, 'payment_overdue'],
    ]);
    const parked = items.find((i) => i.journeyId === ids.parked);
    expect(parked).toMatchObject({
      stage: 'invoicing',
      amount: { amount: '500.00', currency: 'EUR' },
      owner: { id: 'usr-dach-2', name: 'Doris Dach' },
      lastError: 'An automatic step failed after its retries.',
      errorCode: 'activity_failed',
      parkedActivity: 'issueInvoice',
    });
    // The raw cause is for admin and ops only.
    expect(parked).not.toHaveProperty('errorCause');
    const asOps = (await h.call('ops', 'GET', '/v1/finance/stuck')).json<{ items: Record<string, unknown>[] }>().items;
    expect(asOps.find((r) => r.journeyId === parked?.journeyId)).toMatchObject({ errorCause: 'tax rate missing for XX' });
    expect(parked?.ageSeconds).toBeGreaterThanOrEqual(30 * 3600 - 5);
    expect(items.find((i) => i.journeyId === ids.overdueCheckpoint)?.pendingRole).toBe('sales_manager');
    // A parked activity is the most actionable reason, even in collections (DESIGN.md section 4).
    const parkedInCollections = await insertJourney(h.deps.db, {
      stage: 'collections',
      status: 'parked',
      parkedActivity: 'sendDunningNotice',
      lastError: 'SMTP refused',
      parkedSince: hoursAgo(1),
      stageEnteredAt: hoursAgo(3),
    });
    try {
      const listed = (await h.call('finance', 'GET', '/v1/finance/stuck')).json<{
        items: { journeyId: string; reason: string; parkedActivity: string | null }[];
      }>().items;
      expect(listed.find((i) => i.journeyId === parkedInCollections)).toMatchObject({ reason: 'activity_failing', parkedActivity: 'sendDunningNotice' });
      const failing = (await h.call('finance', 'GET', '/v1/finance/stuck?reason=activity_failing')).json<{ items: { journeyId: string }[] }>().items;
      expect(failing.map((i) => i.journeyId)).toContain(parkedInCollections);
    } finally {
      await h.deps.db('journeys').where({ id: parkedInCollections }).delete();
    }
    const old = (await h.call('finance', 'GET', '/v1/finance/stuck?olderThan=P1D')).json<{ items: { journeyId: string }[] }>();
    expect(old.items.map((i) => i.journeyId)).toEqual([ids.slaBreached, ids.overdueCheckpoint, ids.parked]);
    const overdue = (await h.call('ops', 'GET', '/v1/finance/stuck?reason=payment_overdue')).json<{ items: { journeyId: string }[] }>();
    expect(overdue.items.map((i) => i.journeyId)).toEqual([ids.collections]);
    expect((await h.call('finance', 'GET', '/v1/finance/stuck?olderThan=yesterday')).statusCode).toBe(400);
    expect((await h.call('rep', 'GET', '/v1/finance/stuck')).statusCode).toBe(403);
  });

  it('refuses bad bulk actions as a whole with 400', async () => {
    const cases = [
      { action: 'reassign', journeyIds: [ids.parked] },
      { action: 'reassign', journeyIds: [ids.parked], ownerId: 'usr-nobody' },
      { action: 'retry', journeyIds: [] },
      { action: 'retry', journeyIds: [ids.parked, ids.parked] },
      { action: 'retry', journeyIds: [ids.parked], ownerId: 'usr-dach-1' },
      { action: 'explode', journeyIds: [ids.parked] },
      { action: 'cancel', journeyIds: Array.from({ length: 101 }, (_, i) => `jrn_${i}`) },
    ];
    for (const body of cases) {
      const response = await h.call('finance', 'POST', '/v1/finance/stuck/actions', body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    // admin passes the role check like finance and ops, so its bad body is a 400 too.
    expect((await h.call('admin', 'POST', '/v1/finance/stuck/actions', { action: 'retry', journeyIds: [] })).statusCode).toBe(400);
    expect((await h.call('rep', 'POST', '/v1/finance/stuck/actions', { action: 'retry', journeyIds: [ids.parked] })).statusCode).toBe(403);
  });

  it('exports Prometheus metrics: request latency, journeys by stage, stuck count', async () => {
    await h.call('rep', 'GET', '/v1/pipeline');
    const response = await h.call(null, 'GET', '/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(/^l2c_http_request_duration_seconds_bucket\{method="GET",route="\/v1\/pipeline",status="2xx",le="\+Inf"\} [1-9]\d*$/m);
    expect(text).toMatch(/^l2c_http_request_duration_seconds_count\{method="GET",route="\/v1\/pipeline",status="2xx"\} [1-9]\d*$/m);
    expect(text).toContain('l2c_journeys{stage="opportunity"} 2');
    expect(text).toContain('l2c_journeys_stuck{reason="activity_failing"} 1');
    expect(text).toContain('l2c_journeys_stuck_total 4');
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line, line).toMatch(/^[a-z][a-z0-9_]*(\{[^}]*\})? [0-9.e+-]+$/);
  });
});
