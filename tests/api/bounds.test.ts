// One source for every bound (machines/schema/bounds.ts): each column a bound names can hold it, and on
// every write route a value at its maximum is accepted and stored (the journey runs on, never
// parked with a database error) while one character or unit past it is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess } from '../../machines/index';
import { numberBounds, textBounds } from '../../machines/schema/bounds';
import { createHarness, eventually, journeyAtOpportunity, newLead, settledIn, type Harness, type Persona } from './harness';

const max = (bound: { maxLength: number }, unit = 'x') => unit.repeat(bound.maxLength);
const past = (bound: { maxLength: number }, unit = 'x') => unit.repeat(bound.maxLength + 1);

/** An address of exactly `length` characters that mail servers take: a 64-character local part, labels under 63. */
function emailOf(length: number, tag: string): string {
  const local = `${tag}${'c'.repeat(64 - tag.length)}`;
  let prefix = length - local.length - 1 - '.example'.length;
  const labels: string[] = [];
  for (; prefix > 51; prefix -= 51) labels.push('d'.repeat(50));
  labels.push('d'.repeat(prefix));
  return `${local}@${labels.join('.')}.example`;
}

/** A lead with every field at its maximum; NFKD widens "ﬃ" to three letters, digits make the longest normalised phone. */
function maxLead(tag: string): Record<string, unknown> {
  return {
    source: 'web_form',
    name: `${tag} ${'ñ'.repeat(textBounds.personName.maxLength - tag.length - 1)}`,
    email: emailOf(textBounds.email.maxLength, tag),
    phone: '1'.repeat(textBounds.phone.maxLength),
    company: `${tag}${'ﬃ'.repeat(textBounds.company.maxLength - tag.length)}`,
    companySize: numberBounds.companySize.max,
    country: 'DE',
    productInterest: max(textBounds.productInterest, '😀'),
    message: max(textBounds.leadMessage, 'm'),
  };
}

const issuePaths = (body: string): string[] =>
  (JSON.parse(body) as { error: { details?: { issues?: { path: string }[] } } }).error.details?.issues?.map((i) => i.path) ?? [];

describe('field bounds', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  async function refusedAt(as: Persona, method: 'POST' | 'PUT', url: string, body: unknown, path: string): Promise<void> {
    const response = await h.call(as, method, url, body);
    expect(response.statusCode, `${path}: ${response.body}`).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
    expect(issuePaths(response.body), response.body).toContain(path);
  }

  async function notParked(journeyId: string): Promise<void> {
    const row = (await h.deps.db('journeys').where({ id: journeyId }).first()) as { status: string; last_error: string | null } | undefined;
    expect(row?.status, row?.last_error ?? '').not.toBe('parked');
  }

  it('every column a bound names can hold the bound', async () => {
    const columns = (await h.deps
      .db('information_schema.columns')
      .where({ table_schema: 'public' })
      .select('table_name', 'column_name', 'data_type', 'character_maximum_length', 'numeric_precision', 'numeric_scale')) as {
      table_name: string;
      column_name: string;
      data_type: string;
      character_maximum_length: number | null;
      numeric_precision: number | null;
      numeric_scale: number | null;
    }[];
    const column = (name: string) => {
      const [table, col] = name.split('.');
      const found = columns.find((c) => c.table_name === table && c.column_name === col);
      expect(found, name).toBeDefined();
      return found!;
    };
    for (const [field, bound] of Object.entries(textBounds)) {
      for (const name of bound.columns) {
        const c = column(name);
        if (c.data_type === 'text' || c.data_type === 'jsonb') continue;
        expect(c.character_maximum_length ?? 0, `${field} → ${name}`).toBeGreaterThanOrEqual(bound.maxLength);
      }
    }
    for (const [field, bound] of Object.entries(numberBounds)) {
      for (const name of bound.columns) {
        const c = column(name);
        const largest =
          c.data_type === 'integer'
            ? 2 ** 31 - 1
            : c.data_type === 'bigint'
              ? Number.MAX_SAFE_INTEGER
              : 10 ** ((c.numeric_precision ?? 0) - (c.numeric_scale ?? 0));
        expect(largest, `${field} → ${name}`).toBeGreaterThan(bound.max);
      }
    }
  });

  it('stores a lead at every maximum and its journey runs on; one past any field is refused with its path', async () => {
    const lead = maxLead('maxa');
    const created = await h.call('rep', 'POST', '/v1/leads', lead);
    expect(created.statusCode, created.body).toBe(201);
    const { journeyId } = created.json<{ journeyId: string }>();
    await settledIn(h, journeyId, ['lead', 'qualification', 'opportunity']);
    await notParked(journeyId);
    const row = await h.deps.db('leads').where({ journey_id: journeyId }).first();
    expect(row).toMatchObject({
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      company_size: lead.companySize,
      product_interest: lead.productInterest,
      message: lead.message,
    });

    const pastValues: Record<string, unknown> = {
      name: past(textBounds.personName),
      email: emailOf(textBounds.email.maxLength + 1, 'pa'),
      phone: past(textBounds.phone, '1'),
      company: past(textBounds.company),
      companySize: numberBounds.companySize.max + 1,
      productInterest: past(textBounds.productInterest, '😀'),
      message: past(textBounds.leadMessage),
    };
    for (const [field, value] of Object.entries(pastValues)) await refusedAt('rep', 'POST', '/v1/leads', { ...newLead(), [field]: value }, `body.${field}`);
    // More than 64 characters before the @ cannot be delivered, however short the address.
    await refusedAt('rep', 'POST', '/v1/leads', { ...newLead(), email: `${'c'.repeat(65)}@x.example` }, 'body.email');
    // Nor can a domain label that ends with a hyphen (mail servers refuse it; the journey would park).
    await refusedAt('rep', 'POST', '/v1/leads', { ...newLead(), email: 'ada@co-.example' }, 'body.email');
  });

  it('imports a CSV row at every maximum, and reports each field one past it on its row', async () => {
    const lead = maxLead('maxc');
    const columns = ['name', 'email', 'phone', 'company', 'companySize', 'country', 'productInterest', 'message'];
    const line = (l: Record<string, unknown>) => columns.map((c) => `"${String(l[c] ?? '')}"`).join(',');
    const tooLong = { ...newLead(), name: past(textBounds.personName) };
    const tooBig = { ...newLead(), companySize: numberBounds.companySize.max + 1 };
    const response = await h.call('manager', 'POST', '/v1/leads/import', [columns.join(','), line(lead), line(tooLong), line(tooBig)].join('\n'), {
      'content-type': 'text/csv',
    });
    expect(response.statusCode, response.body).toBe(200);
    const rows = response.json<{ rows: { status: string; journeyId?: string; errors?: { path: string }[] }[] }>().rows;
    expect(rows.map((r) => r.status)).toEqual(['created', 'invalid', 'invalid']);
    expect(rows[1]?.errors?.map((e) => e.path)).toContain('rows[2].name');
    expect(rows[2]?.errors?.map((e) => e.path)).toContain('rows[3].companySize');
    const journeyId = rows[0]!.journeyId!;
    await settledIn(h, journeyId, ['lead', 'qualification', 'opportunity']);
    await notParked(journeyId);
    expect(await h.deps.db('leads').where({ journey_id: journeyId }).first()).toMatchObject({ email: lead.email, phone: lead.phone, company: lead.company });
  });

  it('takes events, confirmations and stuck actions at every maximum and refuses one past', async () => {
    const note = max(textBounds.note, 'n');
    const id = await journeyAtOpportunity(h);
    const send = (as: Persona, body: unknown) => h.call(as, 'POST', `/v1/journeys/${id}/events`, body);
    const line = { sku: 'HUB-1', quantity: 1, discountPct: 0 };
    const lines = (n: number, l: Record<string, unknown> = line) => Array.from({ length: n }, () => l);

    // One past, each at its own path (nothing is sent to the journey).
    await refusedAt('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: lines(101) } }, 'body.data.lines');
    await refusedAt(
      'rep',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'PROPOSE', data: { lines: [{ ...line, quantity: numberBounds.quantity.max + 1 }] } },
      'body.data.lines.0.quantity',
    );
    await refusedAt(
      'rep',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'PROPOSE', data: { lines: [{ ...line, discountPct: numberBounds.discountPct.max + 0.5 }] } },
      'body.data.lines.0.discountPct',
    );
    await refusedAt(
      'rep',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'PROPOSE', data: { lines: [{ ...line, sku: past(textBounds.sku) }] } },
      'body.data.lines.0.sku',
    );
    await refusedAt('rep', 'POST', `/v1/journeys/${id}/events`, { type: 'PROPOSE', data: { lines: [line] }, note: past(textBounds.note) }, 'body.note');
    await refusedAt(
      'warehouse',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'SHIPPED', data: { carrier: past(textBounds.carrier), trackingNumber: 'T' } },
      'body.data.carrier',
    );
    await refusedAt(
      'warehouse',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'SHIPPED', data: { carrier: 'C', trackingNumber: past(textBounds.trackingNumber) } },
      'body.data.trackingNumber',
    );
    await refusedAt(
      'finance',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'PAYMENT_RECEIVED', data: { amount: '1000000000000.00', currency: 'EUR', reference: 'R' } },
      'body.data.amount',
    );
    await refusedAt(
      'finance',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'PAYMENT_RECEIVED', data: { amount: '1.001', currency: 'EUR', reference: 'R' } },
      'body.data.amount',
    );
    await refusedAt(
      'finance',
      'POST',
      `/v1/journeys/${id}/events`,
      { type: 'PAYMENT_RECEIVED', data: { amount: '1.00', currency: 'EUR', reference: past(textBounds.paymentReference) } },
      'body.data.reference',
    );
    await refusedAt('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'opportunity', decision: 'approve', note: past(textBounds.note) }, 'body.note');
    await refusedAt('finance', 'POST', '/v1/finance/stuck/actions', { action: 'retry', journeyIds: [id], note: past(textBounds.note) }, 'body.note');

    // At the maximum: the largest quote (every line at the largest quantity) is priced, not parked.
    const big = await send('rep', {
      type: 'PROPOSE',
      data: { lines: lines(100, { sku: 'CAM-200', quantity: numberBounds.quantity.max, discountPct: numberBounds.discountPct.max }) },
      note,
    });
    expect([200, 202], big.body).toContain(big.statusCode);
    await settledIn(h, id, ['quoting', 'quote_sent']);
    await notParked(id);
    const quote = await h.deps.db('quotes').where({ journey_id: id }).orderBy('version', 'desc').first();
    expect(quote).toBeDefined();
    const reassigned = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'reassign', journeyIds: [id], ownerId: 'usr-west-1', note });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
  });

  it('ships and takes a payment at every maximum to the closed journey', async () => {
    const id = await journeyAtOpportunity(h);
    const send = async (as: Persona, body: unknown) => {
      const response = await h.call(as, 'POST', `/v1/journeys/${id}/events`, body);
      // 200 once the stage settled, 202 while its activities still run.
      expect([200, 202], response.body).toContain(response.statusCode);
    };
    await send('rep', { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
    await settledIn(h, id, ['quote_sent']);
    await send('rep', { type: 'ACCEPT' });
    await settledIn(h, id, ['ordering']);
    const confirmed = await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, {
      stage: 'ordering',
      decision: 'approve',
      note: max(textBounds.note, 'c'),
    });
    expect([200, 202], confirmed.body).toContain(confirmed.statusCode);
    await settledIn(h, id, ['fulfilment']);
    await send('warehouse', { type: 'PICKED' });
    await send('warehouse', { type: 'PACKED' });
    const shipped = { carrier: max(textBounds.carrier, 'c'), trackingNumber: max(textBounds.trackingNumber, 't') };
    await send('warehouse', { type: 'SHIPPED', data: shipped });
    await settledIn(h, id, ['awaiting_payment']);
    const payment = { amount: '999999999999.99', currency: 'EUR', reference: max(textBounds.paymentReference, 'r') };
    await send('finance', { type: 'PAYMENT_RECEIVED', data: payment });
    // Far above the invoice: finance confirms the over-payment kept as credit, then it closes.
    await settledIn(h, id, ['overpayment_review']);
    const reviewed = await h.call('finance', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'overpayment_review', decision: 'approve' });
    expect([200, 202], reviewed.body).toContain(reviewed.statusCode);
    await settledIn(h, id, ['closed']);
    await notParked(id);
    expect(await h.deps.db('shipments').where({ carrier: shipped.carrier }).first()).toMatchObject({ tracking_number: shipped.trackingNumber });
    expect(await h.deps.db('payments').where({ journey_id: id }).first()).toMatchObject({ amount: payment.amount, reference: payment.reference });
  });

  it('creates a user at every maximum and refuses one past', async () => {
    const user = {
      name: max(textBounds.personName, 'u'),
      email: emailOf(textBounds.email.maxLength, 'usr'),
      roles: ['sales_rep'],
      team: max(textBounds.team, 't'),
    };
    const created = await h.call('admin', 'POST', '/v1/users', user);
    expect(created.statusCode, created.body).toBe(201);
    expect(await h.deps.db('users').where({ id: created.json().id }).first()).toMatchObject({ name: user.name, email: user.email, team: user.team });
    await refusedAt('admin', 'POST', '/v1/users', { ...user, email: 'x@y.example', name: past(textBounds.personName) }, 'body.name');
    await refusedAt('admin', 'POST', '/v1/users', { ...user, email: emailOf(textBounds.email.maxLength + 1, 'usr2') }, 'body.email');
    await refusedAt('admin', 'POST', '/v1/users', { ...user, email: 'z@y.example', team: past(textBounds.team) }, 'body.team');
  });

  it('runs journeys on a definition whose key and stage names are at their maximum; refuses one past and durations of zero', async () => {
    const key = `k${'-'.repeat(textBounds.definitionKey.maxLength - 1)}`;
    const stage = `s${'_'.repeat(textBounds.stageName.maxLength - 1)}`;
    const renamed = JSON.parse(
      JSON.stringify({ ...defaultProcess, key, title: max(textBounds.definitionTitle, 't') }).replaceAll('"lead"', `"${stage}"`),
    ) as Record<string, unknown>;
    const saved = await h.call('ops', 'POST', '/v1/process-definitions', { definition: renamed });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().validation).toEqual({ ok: true, errors: [] });
    const version = saved.json<{ version: number }>().version;
    expect((await h.call('ops', 'POST', `/v1/process-definitions/${key}/versions/${version}/publish`)).statusCode).toBe(200);
    const routed = await h.call('ops', 'PUT', '/v1/process-routing', { default: key, rules: [{ when: { country: 'DE' }, key }] });
    expect(routed.statusCode, routed.body).toBe(200);
    const created = await h.call('rep', 'POST', '/v1/leads', newLead());
    expect(created.statusCode, created.body).toBe(201);
    const journeyId = created.json<{ journeyId: string }>().journeyId;
    await eventually(async () => expect(await h.deps.db('journeys').where({ id: journeyId }).first()).toMatchObject({ definition_key: key }));
    await settledIn(h, journeyId, [stage, 'qualification', 'opportunity']);
    await notParked(journeyId);
    expect((await h.deps.db('journey_audit').where({ journey_id: journeyId }).pluck('stage')) as string[]).toContain(stage);

    const draft = (patch: (d: typeof defaultProcess) => void) => {
      const d = structuredClone(defaultProcess);
      patch(d);
      return { definition: d };
    };
    await refusedAt(
      'ops',
      'POST',
      '/v1/process-definitions',
      draft((d) => Object.assign(d, { key: `${key}x` })),
      'body.definition.key',
    );
    await refusedAt(
      'ops',
      'POST',
      '/v1/process-definitions',
      draft((d) => Object.assign(d, { title: past(textBounds.definitionTitle) })),
      'body.definition.title',
    );
    await refusedAt(
      'ops',
      'POST',
      '/v1/process-definitions',
      draft((d) => Object.assign(d.policies, { paymentTerms: 'P0D' })),
      'body.definition.policies.paymentTerms',
    );
    await refusedAt(
      'ops',
      'POST',
      '/v1/process-definitions',
      draft((d) => Object.assign(d.policies.dunning[0]!, { offset: 'PT0S' })),
      'body.definition.policies.dunning.0.offset',
    );
    await refusedAt(
      'ops',
      'POST',
      '/v1/process-definitions',
      draft((d) => Object.assign(d.stages.lead!, { sla: 'P0W' })),
      'body.definition.stages.lead.sla',
    );
    await refusedAt(
      'ops',
      'POST',
      '/v1/process-definitions',
      draft((d) => Object.assign(d.policies, { mqlThreshold: numberBounds.scoreThreshold.max + 1 })),
      'body.definition.policies.mqlThreshold',
    );
    await refusedAt(
      'ops',
      'PUT',
      `/v1/process-definitions/${key}/versions/${version}`,
      draft((d) => Object.assign(d.policies.dunning[1]!, { template: past(textBounds.templateKey) })),
      'body.definition.policies.dunning.1.template',
    );
  });
});
