// The authorization matrix: every route × every persona (and nobody) → the expected status.
// Journey routes use a real journey owned by usr-dach-1 that has ended (cancelled), so callers
// who pass authorization and scope get the workflow's own answer (409) and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, newLead, personas, settledIn, type Harness, type Persona } from './harness';

type Caller = Persona | 'anonymous';
const callers: Caller[] = [...(Object.keys(personas) as Persona[]), 'anonymous'];

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  /** The documented path, when the url's ids are not the journey's. */
  route?: string;
  body?: unknown;
  csv?: string;
  /** Status per caller; callers not listed get `otherwise`. */
  expect: Partial<Record<Caller, number>>;
  otherwise: number;
}

const everyone = (status: number): Partial<Record<Caller, number>> => Object.fromEntries(callers.filter((c) => c !== 'anonymous').map((c) => [c, status]));
const only = (status: number, ...who: Caller[]): Partial<Record<Caller, number>> => Object.fromEntries(who.map((c) => [c, status]));

describe('the authorization matrix', () => {
  let h: Harness;
  let journeyId: string;
  let rows: Row[];
  beforeAll(async () => {
    h = await createHarness({ worker: true });
    const created = await h.call('rep', 'POST', '/v1/leads', newLead());
    journeyId = created.json<{ journeyId: string }>().journeyId;
    await settledIn(h, journeyId, ['qualification', 'opportunity', 'lead']);
    expect((await h.call('manager', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'CANCEL', note: 'matrix fixture' })).statusCode).toBe(200);
    await settledIn(h, journeyId, ['cancelled']);
    const j = `/v1/journeys/${journeyId}`;
    const inScope: Caller[] = ['admin', 'ops', 'manager', 'rep', 'warehouse', 'finance'];
    rows = [
      { method: 'GET', url: '/healthz', expect: {}, otherwise: 200 },
      { method: 'GET', url: '/readyz', expect: {}, otherwise: 200 },
      { method: 'GET', url: '/metrics', expect: {}, otherwise: 200 },
      { method: 'GET', url: '/v1/openapi.json', expect: {}, otherwise: 200 },
      { method: 'GET', url: '/docs/', expect: {}, otherwise: 200 },
      { method: 'GET', url: '/v1/users/me', expect: everyone(200), otherwise: 401 },
      { method: 'GET', url: '/v1/users', expect: { ...everyone(403), ...only(200, 'admin', 'ops', 'manager', 'otherManager', 'finance') }, otherwise: 401 },
      { method: 'POST', url: '/v1/users', body: {}, expect: { ...everyone(403), admin: 400 }, otherwise: 401 },
      // An empty change and an unknown user: admins pass authorization and nothing changes.
      { method: 'PATCH', url: '/v1/users/usr-viewer', route: '/v1/users/{id}', body: {}, expect: { ...everyone(403), admin: 200 }, otherwise: 401 },
      { method: 'POST', url: '/v1/users/usr-nobody/token', route: '/v1/users/{id}/token', expect: { ...everyone(403), admin: 404 }, otherwise: 401 },
      { method: 'GET', url: '/v1/products', expect: everyone(200), otherwise: 401 },
      { method: 'GET', url: '/v1/purchase-orders', expect: { ...everyone(403), ...only(200, 'warehouse', 'finance', 'admin') }, otherwise: 401 },
      {
        method: 'POST',
        url: '/v1/purchase-orders/po-nobody/receipts',
        route: '/v1/purchase-orders/{id}/receipts',
        body: {},
        expect: { ...everyone(403), ...only(400, 'warehouse', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/leads',
        body: {},
        expect: { ...everyone(403), ...only(400, 'admin', 'manager', 'otherManager', 'rep', 'otherRep') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/leads/import',
        csv: 'bogus\n1',
        expect: { ...everyone(403), ...only(400, 'admin', 'ops', 'manager', 'otherManager') },
        otherwise: 401,
      },
      { method: 'POST', url: '/v1/forms', body: {}, expect: { ...everyone(403), ...only(400, 'ops', 'admin') }, otherwise: 401 },
      { method: 'GET', url: '/v1/forms', expect: { ...everyone(403), ...only(200, 'ops', 'admin') }, otherwise: 401 },
      // Public: a token is neither needed nor used, so everyone's empty lead is refused for its fields.
      { method: 'POST', url: '/v1/forms/frm_nobody/leads', route: '/v1/forms/{formKey}/leads', body: {}, expect: everyone(400), otherwise: 400 },
      // Public: an unsubscribe link is the customer's, with no token; an unknown one is a page saying so.
      { method: 'GET', url: '/v1/unsubscribe/abcdefghijklmnopqrstu', route: '/v1/unsubscribe/{token}', expect: {}, otherwise: 404 },
      { method: 'POST', url: '/v1/unsubscribe/abcdefghijklmnopqrstu', route: '/v1/unsubscribe/{token}', expect: {}, otherwise: 404 },
      { method: 'GET', url: '/v1/journeys', expect: everyone(200), otherwise: 401 },
      { method: 'GET', url: j, expect: { ...only(200, ...inScope, 'viewer'), ...only(404, 'otherRep', 'otherManager') }, otherwise: 401 },
      {
        method: 'POST',
        url: `${j}/events`,
        body: { type: 'WRITE_OFF' },
        expect: { ...only(409, ...inScope), ...only(404, 'otherRep', 'otherManager'), viewer: 403 },
        otherwise: 401,
      },
      {
        method: 'PUT',
        url: `${j}/owner`,
        body: { ownerId: 'usr-dach-2' },
        expect: { ...everyone(403), ...only(409, 'admin', 'ops', 'manager'), otherManager: 404 },
        otherwise: 401,
      },
      // An empty change: whoever passes authorization and scope gets the addresses as they are.
      {
        method: 'PATCH',
        url: `${j}/addresses`,
        body: {},
        expect: { ...everyone(403), ...only(200, 'admin', 'ops', 'manager', 'rep'), ...only(404, 'otherRep', 'otherManager') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: `${j}/confirmations`,
        body: { stage: 'lead', decision: 'approve' },
        expect: { ...only(409, ...inScope), ...only(404, 'otherRep', 'otherManager'), viewer: 403 },
        otherwise: 401,
      },
      { method: 'GET', url: '/v1/finance/stuck', expect: { ...everyone(403), ...only(200, 'finance', 'ops', 'admin') }, otherwise: 401 },
      {
        method: 'POST',
        url: '/v1/finance/stuck/actions',
        body: { action: 'retry', journeyIds: [] },
        expect: { ...everyone(403), ...only(400, 'finance', 'ops', 'admin') },
        otherwise: 401,
      },
      { method: 'POST', url: '/v1/finance/bank-statements', csv: 'bogus\n1', expect: { ...everyone(403), ...only(400, 'finance', 'admin') }, otherwise: 401 },
      { method: 'GET', url: '/v1/finance/bank-lines', expect: { ...everyone(403), ...only(200, 'finance', 'admin') }, otherwise: 401 },
      {
        method: 'POST',
        url: '/v1/finance/bank-lines/bln-nobody/allocations',
        route: '/v1/finance/bank-lines/{id}/allocations',
        body: {},
        expect: { ...everyone(403), ...only(400, 'finance', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/finance/bank-lines/bln-nobody/ignore',
        route: '/v1/finance/bank-lines/{id}/ignore',
        body: { note: 'not ours' },
        expect: { ...everyone(403), ...only(404, 'finance', 'admin') },
        otherwise: 401,
      },
      { method: 'GET', url: '/v1/finance/credits', expect: { ...everyone(403), ...only(200, 'finance', 'admin') }, otherwise: 401 },
      {
        method: 'GET',
        url: '/v1/accounts/acc-nobody/credit',
        route: '/v1/accounts/{id}/credit',
        expect: { ...everyone(403), ...only(404, 'finance', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/accounts/acc-nobody/credit-refunds',
        route: '/v1/accounts/{id}/credit-refunds',
        body: {},
        expect: { ...everyone(403), ...only(400, 'finance', 'admin') },
        otherwise: 401,
      },
      {
        method: 'GET',
        url: '/v1/documents/credit-notes/cn-nobody.pdf',
        route: '/v1/documents/credit-notes/{id}.pdf',
        expect: { ...everyone(403), ...only(404, 'finance', 'admin') },
        otherwise: 401,
      },
      { method: 'GET', url: '/v1/documents/quotes/quo-nobody.pdf', route: '/v1/documents/quotes/{id}.pdf', expect: everyone(404), otherwise: 401 },
      { method: 'GET', url: '/v1/documents/invoices/inv-nobody.pdf', route: '/v1/documents/invoices/{id}.pdf', expect: everyone(404), otherwise: 401 },
      { method: 'GET', url: '/v1/process-definitions', expect: { ...everyone(403), ...only(200, 'ops', 'admin') }, otherwise: 401 },
      { method: 'GET', url: '/v1/process-definitions/lead-to-cash/versions/1', expect: { ...everyone(403), ...only(200, 'ops', 'admin') }, otherwise: 401 },
      {
        method: 'POST',
        url: '/v1/process-definitions/validate',
        body: { definition: {} },
        expect: { ...everyone(403), ...only(200, 'ops', 'admin') },
        otherwise: 401,
      },
      { method: 'POST', url: '/v1/process-definitions', body: { definition: {} }, expect: { ...everyone(403), ...only(400, 'ops', 'admin') }, otherwise: 401 },
      {
        method: 'PUT',
        url: '/v1/process-definitions/lead-to-cash/versions/9',
        body: { definition: {} },
        expect: { ...everyone(403), ...only(400, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/process-definitions/lead-to-cash/versions/9/publish',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      { method: 'GET', url: '/v1/process-routing', expect: { ...everyone(403), ...only(200, 'ops', 'admin') }, otherwise: 401 },
      { method: 'PUT', url: '/v1/process-routing', body: { rules: [] }, expect: { ...everyone(403), ...only(400, 'ops', 'admin') }, otherwise: 401 },
      { method: 'GET', url: '/v1/response-rules', expect: { ...everyone(403), ...only(200, 'ops', 'admin', 'manager', 'otherManager') }, otherwise: 401 },
      { method: 'PUT', url: '/v1/response-rules', body: {}, expect: { ...everyone(403), ...only(400, 'ops', 'admin') }, otherwise: 401 },
      { method: 'GET', url: '/v1/email-templates', expect: { ...everyone(403), ...only(200, 'ops', 'admin') }, otherwise: 401 },
      {
        method: 'GET',
        url: '/v1/email-templates/quote',
        route: '/v1/email-templates/{key}',
        expect: { ...everyone(403), ...only(200, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'PUT',
        url: '/v1/email-templates/quote',
        route: '/v1/email-templates/{key}',
        body: {},
        expect: { ...everyone(403), ...only(400, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/email-templates/quote/preview',
        route: '/v1/email-templates/{key}/preview',
        body: {},
        expect: { ...everyone(403), ...only(200, 'ops', 'admin') },
        otherwise: 401,
      },
      { method: 'POST', url: '/v1/migrations', body: {}, expect: { ...everyone(403), ...only(400, 'ops', 'admin') }, otherwise: 401 },
      { method: 'GET', url: '/v1/migrations', expect: { ...everyone(403), ...only(200, 'ops', 'admin') }, otherwise: 401 },
      {
        method: 'POST',
        url: '/v1/migrations/mig-nobody/dry-run',
        route: '/v1/migrations/{id}/dry-run',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'GET',
        url: '/v1/migrations/mig-nobody',
        route: '/v1/migrations/{id}',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/migrations/mig-nobody/apply',
        route: '/v1/migrations/{id}/apply',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/migrations/mig-nobody/pause',
        route: '/v1/migrations/{id}/pause',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/migrations/mig-nobody/resume',
        route: '/v1/migrations/{id}/resume',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'POST',
        url: '/v1/migrations/mig-nobody/cancel',
        route: '/v1/migrations/{id}/cancel',
        expect: { ...everyone(403), ...only(404, 'ops', 'admin') },
        otherwise: 401,
      },
      { method: 'GET', url: '/v1/pipeline', expect: everyone(200), otherwise: 401 },
      { method: 'GET', url: '/v1/process-labels', expect: everyone(200), otherwise: 401 },
      { method: 'GET', url: '/v1/reports/kpis', expect: everyone(200), otherwise: 401 },
      { method: 'GET', url: '/v1/queues', expect: everyone(200), otherwise: 401 },
      {
        method: 'GET',
        url: '/v1/queues/approvals',
        route: '/v1/queues/{queue}',
        expect: { ...everyone(403), ...only(200, 'manager', 'otherManager', 'admin') },
        otherwise: 401,
      },
      {
        method: 'GET',
        url: '/v1/queues/warehouse',
        route: '/v1/queues/{queue}',
        expect: { ...everyone(403), ...only(200, 'warehouse', 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'GET',
        url: '/v1/queues/invoices',
        route: '/v1/queues/{queue}',
        expect: { ...everyone(403), ...only(200, 'finance', 'ops', 'admin') },
        otherwise: 401,
      },
      {
        method: 'GET',
        url: '/v1/queues/mine',
        route: '/v1/queues/{queue}',
        expect: { ...everyone(403), ...only(200, 'rep', 'otherRep', 'manager', 'otherManager', 'admin') },
        otherwise: 401,
      },
      {
        method: 'GET',
        url: '/v1/queues/team',
        route: '/v1/queues/{queue}',
        expect: { ...everyone(403), ...only(200, 'manager', 'otherManager', 'admin') },
        otherwise: 401,
      },
    ];
  });
  afterAll(async () => {
    await h.close();
  });

  it('covers every route of the OpenAPI document', async () => {
    const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set(
      rows.map(
        (r) =>
          `${r.method} ${
            r.route ??
            r.url
              .replace(journeyId, '{id}')
              .replace(/versions\/\d+/, 'versions/{version}')
              .replace('/lead-to-cash/', '/{key}/')
          }`,
      ),
    );
    expect(documented.filter((route) => !covered.has(route))).toEqual([]);
  });

  it('answers every route × caller with the expected status', async () => {
    const mismatches: string[] = [];
    for (const row of rows) {
      const actual: Partial<Record<Caller, number>> = {};
      const expected: Partial<Record<Caller, number>> = {};
      for (const caller of callers) {
        const response = await h.app.inject({
          method: row.method,
          url: row.url,
          headers: {
            ...(caller === 'anonymous' ? {} : { authorization: `Bearer ${h.tokens[caller]}` }),
            ...(row.csv ? { 'content-type': 'text/csv' } : {}),
          },
          ...(row.csv ? { payload: row.csv } : row.body !== undefined ? { payload: row.body as object } : {}),
        });
        actual[caller] = response.statusCode;
        expected[caller] = row.expect[caller] ?? row.otherwise;
        if (response.statusCode >= 400 && String(response.headers['content-type']).includes('json'))
          expect(response.json().error.code, `${row.method} ${row.url}`).toMatch(/^[a-z_]+$/);
      }
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        mismatches.push(`${row.method} ${row.url}\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
    }
    expect(mismatches.join('\n')).toBe('');
    // The refusals above changed nothing.
    expect((await settledIn(h, journeyId, ['cancelled'])).stage).toBe('cancelled');
  });
});
