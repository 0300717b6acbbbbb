// Routes that drive real journeys (worker in-process): lead capture and import, events and
// confirmations with each refusal, the 360 view, finance bulk actions, and definition versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app';
import { defaultProcess } from '../../machines/index';
import { createHarness, eventually, journeyAtOpportunity, newLead, settledIn, type Harness } from './harness';

describe('journeys through the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const event = (as: Parameters<Harness['call']>[0], journeyId: string, body: unknown, headers?: Record<string, string>) => h.call(as, 'POST', `/v1/journeys/${journeyId}/events`, body, headers);

  describe('lead capture', () => {
    it('starts a journey and answers with the stage after capture', async () => {
      const response = await h.call('rep', 'POST', '/v1/leads', newLead());
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({ journeyId: expect.stringMatching(/^jrn_/), leadId: expect.stringMatching(/\S/) });
      expect(body.duplicateOf).toBeUndefined();
      expect(['lead', 'qualification', 'opportunity']).toContain(body.stage);
      const lead = await h.deps.db('leads').where({ id: body.leadId }).first();
      expect(lead.journey_id).toBe(body.journeyId);
    });

    it('reports the earlier lead when the new one is a duplicate, and waits for a rep to confirm', async () => {
      const lead = newLead();
      const first = (await h.call('rep', 'POST', '/v1/leads', lead)).json();
      const second = await h.call('manager', 'POST', '/v1/leads', { ...lead, source: 'email' });
      expect(second.statusCode).toBe(201);
      expect(second.json()).toMatchObject({ duplicateOf: first.leadId, stage: 'lead', status: 'awaiting_confirmation' });
    });

    it('replays the first answer for the same Idempotency-Key and refuses another body with 422', async () => {
      const lead = newLead();
      const headers = { 'idempotency-key': `lead-${lead.email as string}` };
      const [a, b] = await Promise.all([h.call('rep', 'POST', '/v1/leads', lead, headers), h.call('rep', 'POST', '/v1/leads', lead, headers)]);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(b.json().journeyId).toBe(a.json().journeyId);
      expect(await h.deps.db('leads').where({ email: lead.email }).count('* as n')).toEqual([{ n: '1' }]);
      const other = await h.call('rep', 'POST', '/v1/leads', { ...lead, name: 'Someone else' }, headers);
      expect(other.statusCode).toBe(422);
      expect(other.json().error.code).toBe('idempotency_key_reused');
      // The same key is another caller's own.
      const manager = await h.call('manager', 'POST', '/v1/leads', newLead(), headers);
      expect(manager.statusCode).toBe(201);
      expect(manager.json().journeyId).not.toBe(a.json().journeyId);
    });

    it('refuses invalid leads with the field paths, and callers without a sales role', async () => {
      const invalid = await h.call('rep', 'POST', '/v1/leads', { source: 'fax', name: '', email: 'x', country: 'Germany', companySize: -3, isVip: true });
      expect(invalid.statusCode).toBe(400);
      const paths = invalid.json().error.details.issues.map((i: { path: string }) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['body.source', 'body.name', 'body.email', 'body.country', 'body.companySize', 'body.isVip']));
      const warehouse = await h.call('warehouse', 'POST', '/v1/leads', newLead());
      expect(warehouse.statusCode).toBe(403);
      expect(warehouse.json().error.details.requiredRoles).toEqual(['sales_rep', 'sales_manager', 'admin']);
    });

    it('imports leads from CSV with a result per row', async () => {
      const a = newLead();
      const b = newLead();
      const csv = [
        'name;email;company;companySize;country;productInterest',
        `${a.name as string};${a.email as string};"Quote ""Co"" GmbH";250;DE;cameras`,
        `Broken;not-an-email;X;many;DE;`,
        `${b.name as string};${b.email as string};;;FR;`,
        '',
      ].join('\r\n');
      const response = await h.app.inject({ method: 'POST', url: '/v1/leads/import?source=event', headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': 'text/csv' }, payload: csv });
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json();
      expect(result).toMatchObject({ created: 2, invalid: 1, failed: 0 });
      expect(result.rows[0]).toMatchObject({ line: 2, status: 'created', journeyId: expect.stringMatching(/^jrn_/) });
      expect(result.rows[1]).toMatchObject({ line: 3, status: 'invalid' });
      expect(result.rows[1].errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['email', 'companySize']));
      const journeyId = result.rows[0].journeyId as string;
      await settledIn(h, journeyId, ['lead', 'qualification', 'opportunity']);
      const lead = await h.deps.db('leads').where({ journey_id: journeyId }).first();
      expect(lead).toMatchObject({ source: 'event', company: 'Quote "Co" GmbH', company_size: 250 });

      const unknownColumn = await h.app.inject({ method: 'POST', url: '/v1/leads/import', headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': 'text/csv' }, payload: 'name,email,password\nA,a@b.example,x' });
      expect(unknownColumn.statusCode).toBe(400);
      expect(unknownColumn.json().error.message).toContain('password');
      const unclosed = await h.app.inject({ method: 'POST', url: '/v1/leads/import', headers: { authorization: `Bearer ${h.tokens.ops}`, 'content-type': 'text/csv' }, payload: 'name,email\n"A,a@b.example' });
      expect(unclosed.statusCode).toBe(400);
      expect((await h.app.inject({ method: 'POST', url: '/v1/leads/import', headers: { authorization: `Bearer ${h.tokens.rep}`, 'content-type': 'text/csv' }, payload: 'name,email' })).statusCode).toBe(403);
    });
  });

  describe('events and confirmations', () => {
    let journeyId: string;
    beforeAll(async () => {
      journeyId = await journeyAtOpportunity(h);
    });

    it('refuses an event the stage does not allow with 409 and the allowed events', async () => {
      const response = await event('rep', journeyId, { type: 'ACCEPT' });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('transition_not_allowed');
      expect(response.json().error.details.allowedEvents).toEqual(expect.arrayContaining(['PROPOSE', 'LOSE']));
      expect(response.json().error.details.allowedEvents).not.toContain('CANCEL');
    });

    it('refuses an event the caller\'s role may not send with 403 naming the roles', async () => {
      const response = await event('warehouse', journeyId, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.message).toContain('sales_rep or sales_manager');
      expect(response.json().error.details).toMatchObject({ requiredRoles: ['sales_rep', 'sales_manager'], stage: 'opportunity' });
      expect((await event('viewer', journeyId, { type: 'LOSE' })).statusCode).toBe(403);
      expect((await event(null, journeyId, { type: 'LOSE' })).statusCode).toBe(401);
    });

    it('refuses malformed event data with the data paths, and unknown products', async () => {
      const bad = await event('rep', journeyId, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 0, discountPct: 150 }] } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(['body.data.lines.0.quantity', 'body.data.lines.0.discountPct']);
      const extra = await event('rep', journeyId, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1, price: '0.01' }] } });
      // An unknown field is reported at its own path, as in every body.
      expect(extra.json().error.details.issues).toEqual([{ path: 'body.data.lines.0.price', message: 'is not a known field' }]);
      const unknownSku = await event('rep', journeyId, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }, { sku: 'NOPE-1', quantity: 1 }] } });
      expect(unknownSku.statusCode).toBe(400);
      expect(unknownSku.json().error.details.issues).toEqual([{ path: 'body.data.lines.1.sku', message: 'no product NOPE-1 in the catalogue' }]);
      const dataOnLose = await event('rep', journeyId, { type: 'LOSE', data: { reason: 'price' } });
      expect(dataOnLose.statusCode).toBe(400);
      expect(dataOnLose.json().error.details.issues).toEqual([{ path: 'body.data', message: 'is not a known field' }]);
      expect((await event('rep', journeyId, { type: 'ACTIVITY_DONE', data: {} })).statusCode).toBe(400);
      expect((await event('finance', journeyId, { type: 'PAYMENT_RECEIVED', data: { amount: '-5.00', currency: 'EUR', reference: 'x' } })).statusCode).toBe(400);
    });

    it('keeps another rep out (404) and lets the owner\'s manager read', async () => {
      expect((await h.call('otherRep', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(404);
      expect((await event('otherRep', journeyId, { type: 'LOSE' })).statusCode).toBe(404);
      expect((await h.call('otherRep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { decision: 'reject' })).statusCode).toBe(404);
      expect((await h.call('otherManager', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(404);
      expect((await h.call('manager', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(200);
      // The refusals left the journey where it was.
      expect((await settledIn(h, journeyId, ['opportunity'])).stage).toBe('opportunity');
    });

    it('enforces segregation of duties: the quote\'s author may not approve its discount', async () => {
      // admin passes every role check, so only the author rule can refuse them.
      const proposed = await event('admin', journeyId, { type: 'PROPOSE', data: { lines: [{ sku: 'CAM-200', quantity: 10, discountPct: 25 }] } });
      expect(proposed.statusCode, proposed.body).toBe(200);
      const quoting = await settledIn(h, journeyId, ['quoting']);
      expect(quoting.pendingCheckpoint).toMatchObject({ role: 'sales_manager', approveEvent: 'CONFIRM' });

      const byAuthor = await h.call('admin', 'POST', `/v1/journeys/${journeyId}/confirmations`, { decision: 'approve' });
      expect(byAuthor.statusCode).toBe(403);
      expect(byAuthor.json().error.message).toContain('segregation of duties');
      const byRep = await h.call('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { decision: 'approve' });
      expect(byRep.statusCode).toBe(403);
      expect(byRep.json().error.details.requiredRoles).toEqual(['sales_manager']);

      const byManager = await h.call('manager', 'POST', `/v1/journeys/${journeyId}/confirmations`, { decision: 'approve', note: '25% for a reference customer' });
      expect(byManager.statusCode, byManager.body).toBe(200);
      expect(byManager.json().stage).toBe('quote_sent');
    });

    it('shows the 360 view: documents, notifications, timeline and the caller\'s allowed events', async () => {
      const detail = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json();
      expect(detail).toMatchObject({ id: journeyId, stage: 'quote_sent', definition: { key: 'lead-to-cash', version: 1 }, owner: { id: 'usr-dach-1', name: 'Dieter Dach' }, live: true });
      expect(detail.allowedEvents).toEqual(expect.arrayContaining(['ACCEPT', 'REVISE', 'DECLINE']));
      expect(detail.allowedEvents).not.toContain('CANCEL');
      expect(detail.lead).toMatchObject({ id: expect.any(String), country: 'DE', companySize: 1500 });
      const [quote] = detail.documents.quotes;
      expect(quote).toMatchObject({ version: 1, status: 'sent', author: 'usr-admin', lines: [{ sku: 'CAM-200', quantity: 10, discountPct: '25.0000' }] });
      expect(quote.total.currency).toBe('EUR');
      expect(detail.amount).toEqual(quote.total);
      expect(detail.notifications.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['auto_response', 'quote']));
      const approval = detail.timeline.find((e: { type: string; stage: string }) => e.type === 'confirmation' && e.stage === 'quoting');
      expect(approval).toMatchObject({ actor: 'usr-manager', detail: { decision: 'approve', note: '25% for a reference customer' } });
      const managerView = (await h.call('manager', 'GET', `/v1/journeys/${journeyId}`)).json();
      expect(managerView.allowedEvents).toContain('CANCEL');
      expect(detail.temporalUrl === null || typeof detail.temporalUrl === 'string').toBe(true);

      const withUi = await buildApp({ ...h.deps, bootstrapToken: null, temporalUiUrl: 'http://temporal-ui.test/' });
      try {
        const view = (await withUi.inject({ method: 'GET', url: `/v1/journeys/${journeyId}`, headers: { authorization: `Bearer ${h.tokens.rep}` } })).json();
        expect(view.temporalUrl).toBe(`http://temporal-ui.test/namespaces/${h.deps.temporal.options.namespace}/workflows/journey-${journeyId}`);
      } finally {
        await withUi.close();
      }
    });

    it('records a payment once for the same Idempotency-Key', async () => {
      const id = await journeyAtOpportunity(h);
      await event('rep', id, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
      await settledIn(h, id, ['quote_sent']);
      await event('rep', id, { type: 'ACCEPT' });
      await settledIn(h, id, ['ordering']);
      await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { decision: 'approve' });
      await settledIn(h, id, ['fulfilment']);
      for (const type of ['PICKED', 'PACKED']) expect((await event('warehouse', id, { type })).statusCode).toBe(200);
      expect((await event('warehouse', id, { type: 'SHIPPED', data: { carrier: 'UPS', trackingNumber: '1Z999' } })).statusCode).toBe(200);
      const detail = await settledIn(h, id, ['awaiting_payment']);
      const due = (detail.documents as { invoices: { amountDue: { amount: string; currency: string } }[] }).invoices[0]!.amountDue;
      const part = { type: 'PAYMENT_RECEIVED', data: { amount: '10.00', currency: due.currency, reference: 'BANK-PART-1' } };
      const headers = { 'idempotency-key': `pay-${id}` };
      const first = await event('finance', id, part, headers);
      const again = await event('finance', id, part, headers);
      expect(first.statusCode, first.body).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await h.deps.db('payments').where({ journey_id: id }).count('* as n')).toEqual([{ n: '1' }]);
      const changed = await event('finance', id, { ...part, data: { ...part.data, amount: '11.00' } }, headers);
      expect(changed.statusCode).toBe(422);
    });
  });

  describe('the finance monitor acting on real journeys', () => {
    it('retries a parked journey, refuses what a role may not do, and cancels', async () => {
      // No VAT rate for Japan: pricing the quote fails for good and the stage parks.
      const parkedId = await journeyAtOpportunity(h, newLead({ country: 'JP', companySize: 20 }), 'admin');
      expect((await event('admin', parkedId, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } })).statusCode).toBe(200);
      const parked = await settledIn(h, parkedId, ['quoting']);
      expect(parked.status).toBe('parked');
      await eventually(async () => {
        const stuck = (await h.call('finance', 'GET', '/v1/finance/stuck?reason=activity_failing')).json().items as { journeyId: string; lastError: string }[];
        expect(stuck.find((s) => s.journeyId === parkedId)?.lastError).toContain('JP');
      });

      const waiting = await journeyAtOpportunity(h);
      const retry = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'retry', journeyIds: [parkedId, waiting] });
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toMatchObject({ succeeded: 1, failed: 1, results: [{ journeyId: parkedId, ok: true, status: 200, stage: 'quoting' }, { journeyId: waiting, ok: false, status: 409, error: { code: 'transition_not_allowed' } }] });

      const financeCancel = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'cancel', journeyIds: [parkedId] });
      expect(financeCancel.json().results[0]).toMatchObject({ ok: false, status: 403, error: { details: { requiredRoles: ['sales_manager', 'ops'] } } });
      const opsCancel = await h.call('ops', 'POST', '/v1/finance/stuck/actions', { action: 'cancel', journeyIds: [parkedId, waiting], note: 'customer withdrew' });
      expect(opsCancel.json()).toMatchObject({ succeeded: 2, results: [{ stage: 'cancelled' }, { stage: 'cancelled' }] });
      await settledIn(h, parkedId, ['cancelled']);
      await eventually(async () => {
        const stuck = (await h.call('finance', 'GET', '/v1/finance/stuck')).json().items as { journeyId: string }[];
        expect(stuck.map((s) => s.journeyId)).not.toContain(parkedId);
      });
    });
  });

  describe('reassigning journeys', () => {
    it('hands journeys to another owner through the workflow, on the projection and the timeline', async () => {
      const running = await journeyAtOpportunity(h);
      const ended = await journeyAtOpportunity(h);
      expect((await h.call('ops', 'POST', '/v1/finance/stuck/actions', { action: 'cancel', journeyIds: [ended] })).json()).toMatchObject({ succeeded: 1 });
      await settledIn(h, ended, ['cancelled']);

      const response = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'reassign', journeyIds: [running, 'jrn_missing', ended], ownerId: 'usr-west-2', note: 'Doris is away' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        succeeded: 1,
        failed: 2,
        results: [
          { journeyId: running, ok: true, status: 200, ownerId: 'usr-west-2' },
          { journeyId: 'jrn_missing', ok: false, status: 404 },
          { journeyId: ended, ok: false, status: 409 },
        ],
      });
      await eventually(async () => {
        const row = await h.deps.db('journeys').where({ id: running }).first();
        expect(row.owner_id).toBe('usr-west-2');
      });
      const detail = (await h.call('admin', 'GET', `/v1/journeys/${running}`)).json();
      expect(detail.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ event: 'REASSIGN', actor: 'usr-finance', detail: expect.objectContaining({ to: 'usr-west-2', note: 'Doris is away' }) })]));
    });
  });

  describe('process definition versions', () => {
    it('starts new journeys on the latest published version; running ones keep theirs', async () => {
      const before = await journeyAtOpportunity(h);
      const draft = structuredClone(defaultProcess);
      draft.title = 'Lead to cash, faster quotes';
      draft.stages.opportunity!.checkpoint.sla = 'P7D';
      const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
      const version = created.json().version as number;
      expect((await h.call('ops', 'POST', `/v1/process-definitions/lead-to-cash/versions/${version}/publish`)).statusCode).toBe(200);

      const after = await journeyAtOpportunity(h);
      expect((await h.call('admin', 'GET', `/v1/journeys/${after}`)).json().definition).toEqual({ key: 'lead-to-cash', version });
      expect((await h.call('admin', 'GET', `/v1/journeys/${before}`)).json().definition).toEqual({ key: 'lead-to-cash', version: 1 });
      // The old journey still runs on version 1 and accepts its events.
      expect((await event('rep', before, { type: 'LOSE' })).json()).toMatchObject({ stage: 'lost', final: true });
      // A final journey has no checkpoint left to confirm.
      const late = await h.call('rep', 'POST', `/v1/journeys/${before}/confirmations`, { decision: 'approve' });
      expect(late.statusCode).toBe(409);
      expect(late.json().error).toMatchObject({ code: 'transition_not_allowed', details: { allowedEvents: [] } });
    });
  });
});
