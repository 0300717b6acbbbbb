// Routes that drive real journeys (worker in-process): lead capture and import, events and
// confirmations with each refusal, the 360 view, finance bulk actions, and definition versions.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { buildApp } from '../../api/app';
import { installErrorHandler } from '../../api/errors';
import { installIdempotency } from '../../api/idempotency';
import { defaultProcess } from '../../machines/index';
import { capturedLead, createHarness, eventually, journeyAtOpportunity, newLead, settledIn, type Harness } from './harness';

describe('journeys through the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const event = (as: Parameters<Harness['call']>[0], journeyId: string, body: unknown, headers?: Record<string, string>) =>
    h.call(as, 'POST', `/v1/journeys/${journeyId}/events`, body, headers);

  describe('lead capture', () => {
    it('starts a journey and answers with the stage after capture', async () => {
      const response = await capturedLead(h, 'rep', newLead());
      expect(response.statusCode, JSON.stringify(response.body)).toBe(201);
      const body = response.body;
      expect(body).toMatchObject({ journeyId: expect.stringMatching(/^jrn_/), leadId: expect.stringMatching(/\S/) });
      expect(body.duplicateOf).toBeUndefined();
      expect(['lead', 'qualification', 'opportunity']).toContain(body.stage);
      const lead = await h.deps.db('leads').where({ id: body.leadId }).first();
      expect(lead.journey_id).toBe(body.journeyId);
    });

    it('reports the earlier lead when the new one is a duplicate, and waits for a rep to confirm', async () => {
      const lead = newLead();
      const first = (await capturedLead(h, 'rep', lead)).body;
      const second = await capturedLead(h, 'manager', { ...lead, source: 'email' });
      expect(second.statusCode).toBe(201);
      expect(second.body).toMatchObject({ duplicateOf: first.leadId, stage: 'lead', status: 'awaiting_confirmation' });
    });

    it('replays the first answer for the same Idempotency-Key and refuses another body with 422', async () => {
      const lead = newLead();
      const headers = { 'idempotency-key': `lead-${lead.email as string}` };
      const [a, b] = await Promise.all([h.call('rep', 'POST', '/v1/leads', lead, headers), h.call('rep', 'POST', '/v1/leads', lead, headers)]);
      // 201 once capture settled, 202 while it runs: the duplicate gets the first answer either way.
      expect([201, 202]).toContain(a.statusCode);
      expect(b.statusCode).toBe(a.statusCode);
      expect(b.json().journeyId).toBe(a.json().journeyId);
      await eventually(async () => expect(await h.deps.db('leads').where({ email: lead.email }).count('* as n')).toEqual([{ n: '1' }]));
      const other = await h.call('rep', 'POST', '/v1/leads', { ...lead, name: 'Someone else' }, headers);
      expect(other.statusCode).toBe(422);
      expect(other.json().error.code).toBe('idempotency_key_reused');
      // The same key is another caller's own.
      const manager = await h.call('manager', 'POST', '/v1/leads', newLead(), headers);
      expect([201, 202]).toContain(manager.statusCode);
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
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/leads/import?source=event',
        headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json();
      expect(result).toMatchObject({ created: 2, invalid: 1, failed: 0 });
      expect(result.rows[0]).toMatchObject({ row: 1, line: 2, status: 'created', journeyId: expect.stringMatching(/^jrn_/) });
      expect(result.rows[1]).toMatchObject({ row: 2, line: 3, status: 'invalid' });
      expect(result.rows[1].errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['rows[2].email', 'rows[2].companySize']));
      const journeyId = result.rows[0].journeyId as string;
      await settledIn(h, journeyId, ['lead', 'qualification', 'opportunity']);
      const lead = await h.deps.db('leads').where({ journey_id: journeyId }).first();
      expect(lead).toMatchObject({ source: 'event', company: 'Quote "Co" GmbH', company_size: 250 });

      const unknownColumn = await h.app.inject({
        method: 'POST',
        url: '/v1/leads/import',
        headers: { authorization: `Bearer ${h.tokens.manager}`, 'content-type': 'text/csv' },
        payload: 'name,email,password\nA,a@b.example,x',
      });
      expect(unknownColumn.statusCode).toBe(400);
      expect(unknownColumn.json().error.message).toContain('password');
      const unclosed = await h.app.inject({
        method: 'POST',
        url: '/v1/leads/import',
        headers: { authorization: `Bearer ${h.tokens.ops}`, 'content-type': 'text/csv' },
        payload: 'name,email\n"A,a@b.example',
      });
      expect(unclosed.statusCode).toBe(400);
      expect(
        (
          await h.app.inject({
            method: 'POST',
            url: '/v1/leads/import',
            headers: { authorization: `Bearer ${h.tokens.rep}`, 'content-type': 'text/csv' },
            payload: 'name,email',
          })
        ).statusCode,
      ).toBe(403);
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

    it("refuses an event the caller's role may not send with 403 naming the roles", async () => {
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
      const unknownSku = await event('rep', journeyId, {
        type: 'PROPOSE',
        data: {
          lines: [
            { sku: 'HUB-1', quantity: 1 },
            { sku: 'NOPE-1', quantity: 1 },
          ],
        },
      });
      expect(unknownSku.statusCode).toBe(400);
      expect(unknownSku.json().error.details.issues).toEqual([{ path: 'body.data.lines.1.sku', message: 'no product NOPE-1 in the catalogue' }]);
      const dataOnLose = await event('rep', journeyId, { type: 'LOSE', data: { reason: 'price' } });
      expect(dataOnLose.statusCode).toBe(400);
      expect(dataOnLose.json().error.details.issues).toEqual([{ path: 'body.data', message: 'is not a known field' }]);
      expect((await event('rep', journeyId, { type: 'ACTIVITY_DONE', data: {} })).statusCode).toBe(400);
      expect((await event('finance', journeyId, { type: 'PAYMENT_RECEIVED', data: { amount: '-5.00', currency: 'EUR', reference: 'x' } })).statusCode).toBe(
        400,
      );
    });

    it("keeps another rep out (404) and lets the owner's manager read", async () => {
      expect((await h.call('otherRep', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(404);
      expect((await event('otherRep', journeyId, { type: 'LOSE' })).statusCode).toBe(404);
      expect((await h.call('otherRep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'opportunity', decision: 'reject' })).statusCode).toBe(404);
      expect((await h.call('otherManager', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(404);
      expect((await h.call('manager', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(200);
      // The refusals left the journey where it was.
      expect((await settledIn(h, journeyId, ['opportunity'])).stage).toBe('opportunity');
    });

    it("enforces segregation of duties: the quote's author may not approve its discount", async () => {
      // admin passes every role check, so only the author rule can refuse them.
      const proposed = await event('admin', journeyId, { type: 'PROPOSE', data: { lines: [{ sku: 'CAM-200', quantity: 10, discountPct: 25 }] } });
      expect(proposed.statusCode, proposed.body).toBe(200);
      const quoting = await settledIn(h, journeyId, ['quoting']);
      expect(quoting.pendingCheckpoint).toMatchObject({ role: 'sales_manager', approveEvent: 'CONFIRM' });

      const byAuthor = await h.call('admin', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'quoting', decision: 'approve' });
      expect(byAuthor.statusCode).toBe(403);
      expect(byAuthor.json().error.message).toContain('segregation of duties');
      const byRep = await h.call('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'quoting', decision: 'approve' });
      expect(byRep.statusCode).toBe(403);
      expect(byRep.json().error.details.requiredRoles).toEqual(['sales_manager']);

      const approval = { stage: 'quoting', decision: 'approve', note: '25% for a reference customer' };
      const key = { 'idempotency-key': `approve-${journeyId}` };
      const byManager = await h.call('manager', 'POST', `/v1/journeys/${journeyId}/confirmations`, approval, key);
      expect(byManager.statusCode, byManager.body).toBe(200);
      expect(byManager.json().stage).toBe('quote_sent');
      expect(byManager.json().pendingCheckpoint).toMatchObject({ stage: 'quote_sent', role: 'sales_rep' });

      // A client that timed out retries: with its key it gets the first answer again ...
      const replayed = await h.call('manager', 'POST', `/v1/journeys/${journeyId}/confirmations`, approval, key);
      expect(replayed.statusCode).toBe(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.json()).toEqual(byManager.json());
      const otherBody = await h.call('manager', 'POST', `/v1/journeys/${journeyId}/confirmations`, { ...approval, note: 'another' }, key);
      expect(otherBody.statusCode).toBe(422);
      // ... and without it the named stage keeps it from approving the next checkpoint (ACCEPT in quote_sent).
      const retried = await h.call('admin', 'POST', `/v1/journeys/${journeyId}/confirmations`, approval);
      expect(retried.statusCode).toBe(409);
      expect(retried.json().error).toMatchObject({
        code: 'stale_checkpoint',
        details: { stage: 'quote_sent', pendingCheckpoint: { stage: 'quote_sent', approveEvent: 'ACCEPT' } },
      });
      const missingStage = await h.call('manager', 'POST', `/v1/journeys/${journeyId}/confirmations`, { decision: 'approve' });
      expect(missingStage.statusCode).toBe(400);
      expect(missingStage.json().error.details.issues[0].path).toBe('body.stage');
      expect((await settledIn(h, journeyId, ['quote_sent'])).stage).toBe('quote_sent');
    });

    it('refuses an event whose expectedStage the journey has left with 409 stale_stage', async () => {
      const stale = await event('rep', journeyId, { type: 'ACCEPT', expectedStage: 'quoting' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({
        code: 'stale_stage',
        details: { stage: 'quote_sent', allowedEvents: expect.arrayContaining(['ACCEPT', 'REVISE']) },
      });
      expect((await settledIn(h, journeyId, ['quote_sent'])).stage).toBe('quote_sent');
    });

    it("shows the 360 view: documents, notifications, timeline and the caller's allowed events", async () => {
      const detail = (await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).json();
      expect(detail).toMatchObject({
        id: journeyId,
        stage: 'quote_sent',
        definition: { key: 'lead-to-cash', version: 1 },
        owner: { id: 'usr-dach-1', name: 'Dieter Dach' },
        live: true,
      });
      expect(detail.allowedEvents).toEqual(expect.arrayContaining(['ACCEPT', 'REVISE', 'DECLINE']));
      expect(detail.allowedEvents).not.toContain('CANCEL');
      expect(detail.lead).toMatchObject({ id: expect.any(String), country: 'DE', companySize: 1500 });
      const [quote] = detail.documents.quotes;
      expect(quote).toMatchObject({ version: 1, status: 'sent', author: 'usr-admin', lines: [{ sku: 'CAM-200', quantity: 10, discountPct: '25.0000' }] });
      expect(quote.total.currency).toBe('EUR');
      expect(detail.amount).toEqual(quote.total);
      expect(detail.notifications.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['auto_response', 'quote']));
      const approval = detail.timeline.find((e: { type: string; stage: string }) => e.type === 'confirmation' && e.stage === 'quoting');
      expect(approval).toMatchObject({
        actor: 'usr-manager',
        actorName: 'Maria Manager',
        role: 'sales_manager',
        detail: { decision: 'approve', auto: false, note: '25% for a reference customer' },
      });
      const automatic = detail.timeline.find((e: { type: string; stage: string }) => e.type === 'confirmation' && e.stage === 'lead');
      expect(automatic).toMatchObject({ actor: 'system', actorName: null, role: 'system', detail: { decision: 'approve', auto: true } });
      const managerView = (await h.call('manager', 'GET', `/v1/journeys/${journeyId}`)).json();
      expect(managerView.allowedEvents).toContain('CANCEL');
      expect(detail.temporalUrl === null || typeof detail.temporalUrl === 'string').toBe(true);

      const withUi = await buildApp({ ...h.deps, bootstrapToken: null, temporalUiUrl: 'http://temporal-ui.test/' });
      try {
        const viewAs = async (token: string) =>
          (await withUi.inject({ method: 'GET', url: `/v1/journeys/${journeyId}`, headers: { authorization: `Bearer ${token}` } })).json();
        // Only those who run the engine get the link to Temporal's UI.
        expect((await viewAs(h.tokens.rep)).temporalUrl).toBeNull();
        const view = await viewAs(h.tokens.ops);
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
      await h.call('rep', 'POST', `/v1/journeys/${id}/confirmations`, { stage: 'ordering', decision: 'approve' });
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

  describe('Idempotency-Key on every state-changing route', () => {
    it('documents the header on every POST, PUT, PATCH and DELETE', async () => {
      const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json<{
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      }>();
      const changing = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
          .map(([method, op]) => ({ route: `${method} ${path}`, op })),
      );
      expect(changing.length).toBeGreaterThanOrEqual(8);
      const undocumented = changing
        .filter(({ op }) => !(op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key'))
        .map((c) => c.route);
      expect(undocumented).toEqual([]);
    });

    /** A bare app with the Idempotency-Key mechanism, every request signed in as one admin. */
    const idempotentApp = (userId: string) => {
      const app = Fastify();
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      installErrorHandler(app);
      app.decorateRequest('user', null);
      app.addHook('onRequest', async (request) => {
        request.user = { id: userId, name: userId, email: `${userId}@example.com`, roles: ['admin'], managerId: null };
      });
      installIdempotency(app, h.deps.db);
      return app;
    };

    it('covers a route added later (PUT, PATCH) without the route doing anything', async () => {
      const app = idempotentApp('usr-later');
      let calls = 0;
      app.put('/later/:id', async () => ({ calls: ++calls }));
      app.patch('/later/:id', async () => ({ calls: ++calls }));
      app.get('/later/:id', async () => ({ calls: ++calls }));
      await app.ready();
      try {
        const call = (method: 'PUT' | 'PATCH' | 'GET', payload: object, key: string) =>
          app.inject({ method, url: '/later/1', payload, headers: { 'idempotency-key': key } });
        const first = await call('PUT', { ownerId: 'a' }, 'later-put');
        const again = await call('PUT', { ownerId: 'a' }, 'later-put');
        expect([first.json(), again.json()]).toEqual([{ calls: 1 }, { calls: 1 }]);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect((await call('PUT', { ownerId: 'b' }, 'later-put')).statusCode).toBe(422);
        expect((await call('PATCH', { active: false }, 'later-patch')).json()).toEqual({ calls: 2 });
        expect((await call('PATCH', { active: false }, 'later-patch')).json()).toEqual({ calls: 2 });
        // Reads take no key: both run.
        expect((await call('GET', {}, 'later-get')).statusCode).toBe(200);
        expect((await call('GET', {}, 'later-get')).json()).toEqual({ calls: 4 });
        const bad = await call('PUT', { ownerId: 'a' }, 'has spaces');
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.details.issues[0].path).toBe('headers.idempotency-key');
      } finally {
        await app.close();
      }
    });

    it('runs a waiting duplicate itself when the first request with its key fails with a 5xx', async () => {
      const app = idempotentApp('usr-freed');
      // The first call fails after the duplicate has started waiting (a dead pooled connection, say).
      let calls = 0;
      app.post('/flaky', async (_request, reply) => {
        calls += 1;
        if (calls === 1) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return reply.code(503).send({ error: { code: 'unavailable', message: 'try again' } });
        }
        return { calls };
      });
      await app.ready();
      try {
        const call = () => app.inject({ method: 'POST', url: '/flaky', payload: { n: 1 }, headers: { 'idempotency-key': 'flaky-1' } });
        const first = call();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const [failed, duplicate] = await Promise.all([first, call()]);
        expect(failed.statusCode).toBe(503);
        // The duplicate ran (it did not answer 409 idempotency_key_in_use), once.
        expect(duplicate.statusCode, duplicate.body).toBe(200);
        expect(duplicate.json()).toEqual({ calls: 2 });
        const again = await call();
        expect(again.json()).toEqual({ calls: 2 });
        expect(again.headers['idempotent-replayed']).toBe('true');
      } finally {
        await app.close();
      }
    });

    it('imports a CSV file once per key, and acts on stuck journeys once per key', async () => {
      const lead = newLead();
      const csv = `name,email,country\n${lead.name as string},${lead.email as string},DE\n`;
      const headers = { authorization: `Bearer ${h.tokens.manager}`, 'content-type': 'text/csv', 'idempotency-key': `import-${lead.email as string}` };
      const first = await h.app.inject({ method: 'POST', url: '/v1/leads/import', headers, payload: csv });
      const again = await h.app.inject({ method: 'POST', url: '/v1/leads/import', headers, payload: csv });
      expect(first.statusCode, first.body).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      await eventually(async () => expect(await h.deps.db('leads').where({ email: lead.email }).count('* as n')).toEqual([{ n: '1' }]));

      const action = { action: 'retry', journeyIds: ['jrn_missing_1'] };
      const key = { 'idempotency-key': 'stuck-retry-1' };
      const acted = await h.call('finance', 'POST', '/v1/finance/stuck/actions', action, key);
      const replayed = await h.call('finance', 'POST', '/v1/finance/stuck/actions', action, key);
      expect(replayed.json()).toEqual(acted.json());
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect((await h.call('finance', 'POST', '/v1/finance/stuck/actions', { ...action, action: 'cancel' }, key)).statusCode).toBe(422);
    });
  });

  describe('answering fast and truthfully', () => {
    it('answers a lead within 2 s while capture cannot run (no worker yet), and a retry with the key names the same journey', async () => {
      const taskQueue = `no-worker-${Date.now().toString(36)}`;
      const noWorker = await buildApp({ ...h.deps, bootstrapToken: null, taskQueue });
      try {
        const lead = newLead();
        const send = () =>
          noWorker.inject({
            method: 'POST',
            url: '/v1/leads',
            payload: lead,
            headers: { authorization: `Bearer ${h.tokens.rep}`, 'idempotency-key': `slow-${lead.email as string}` },
          });
        const started = Date.now();
        const first = await send();
        expect(Date.now() - started).toBeLessThan(2_000);
        expect(first.statusCode, first.body).toBe(202);
        const journeyId = first.json().journeyId as string;
        expect(first.json()).toMatchObject({ journeyId: expect.stringMatching(/^jrn_/), leadId: null, stage: 'lead', status: 'running' });
        expect(first.headers.location).toBe(`/v1/journeys/${journeyId}`);
        // The rep who captured it can poll it at once, before capture has routed it to anyone.
        const polled = await noWorker.inject({ method: 'GET', url: `/v1/journeys/${journeyId}`, headers: { authorization: `Bearer ${h.tokens.rep}` } });
        expect(polled.statusCode, polled.body).toBe(200);
        expect(polled.json()).toMatchObject({ id: journeyId, stage: 'lead', status: 'running' });

        const retry = await send();
        expect(retry.json().journeyId).toBe(journeyId);
        const workflow = h.deps.temporal.workflow.getHandle(`journey-${journeyId}`);
        const description = await workflow.describe();
        expect(description).toMatchObject({ status: { name: 'RUNNING' }, taskQueue });
        await workflow.terminate('test: no worker will ever run it');
      } finally {
        await noWorker.close();
      }
    });
  });

  describe('an answer that says the work may not have happened', () => {
    it('names the journey it may have started, and the retry with the same key gets that journey', async () => {
      // Temporal out of reach: the start cannot be confirmed either way.
      const away = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 500 }), namespace: 'default' });
      const unreachable = await buildApp({ ...h.deps, temporal: away, bootstrapToken: null });
      try {
        const lead = newLead();
        const headers = { authorization: `Bearer ${h.tokens.rep}`, 'idempotency-key': `away-${lead.email as string}` };
        const refused = await unreachable.inject({ method: 'POST', url: '/v1/leads', payload: lead, headers });
        expect(refused.statusCode, refused.body).toBe(503);
        const named = refused.json().error.details.journeyId as string;
        expect(named).toMatch(/^jrn_/);
        expect(refused.json().error.message).toContain(named);

        const retried = await h.app.inject({ method: 'POST', url: '/v1/leads', payload: lead, headers });
        expect([201, 202]).toContain(retried.statusCode);
        expect(retried.json().journeyId).toBe(named);
      } finally {
        await unreachable.close();
      }
    });
  });

  describe('the finance monitor acting on real journeys', () => {
    it('retries a parked journey, refuses what a role may not do, and cancels', async () => {
      // No VAT rate for Japan: pricing the quote fails for good and the stage parks.
      const parkedId = await journeyAtOpportunity(h, newLead({ country: 'JP', companySize: 20 }), 'admin');
      expect((await event('admin', parkedId, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } })).statusCode).toBe(200);
      const parked = await settledIn(h, parkedId, ['quoting']);
      expect(parked.status).toBe('parked');
      // Everyone sees a code and a plain message; the raw cause only admin and ops.
      const failure = { code: 'tax_rate_not_found', message: "No tax rate is set for the customer's country." };
      expect(parked.parked).toMatchObject({ error: { ...failure, cause: expect.stringContaining('JP') } });
      const asViewer = (await h.call('viewer', 'GET', `/v1/journeys/${parkedId}`)).json();
      expect(asViewer.parked.error).toEqual(failure);
      expect(JSON.stringify(asViewer.timeline)).not.toContain('no VAT rate');
      expect(JSON.stringify((await h.call('admin', 'GET', `/v1/journeys/${parkedId}`)).json().timeline)).toContain('no VAT rate');
      await eventually(async () => {
        const stuck = (await h.call('finance', 'GET', '/v1/finance/stuck?reason=activity_failing')).json().items as Record<string, unknown>[];
        const row = stuck.find((s) => s.journeyId === parkedId);
        expect(row).toMatchObject({ lastError: failure.message, errorCode: failure.code });
        expect(row?.errorCause).toBeUndefined();
        const asOps = (await h.call('ops', 'GET', '/v1/finance/stuck?reason=activity_failing')).json().items as Record<string, unknown>[];
        expect(asOps.find((s) => s.journeyId === parkedId)?.errorCause).toContain('JP');
      });

      const waiting = await journeyAtOpportunity(h);
      const retry = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'retry', journeyIds: [parkedId, waiting] });
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toMatchObject({
        succeeded: 1,
        failed: 1,
        results: [
          { journeyId: parkedId, ok: true, status: 200, stage: 'quoting' },
          { journeyId: waiting, ok: false, status: 409, error: { code: 'transition_not_allowed' } },
        ],
      });

      const financeCancel = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'cancel', journeyIds: [parkedId] });
      expect(financeCancel.json().results[0]).toMatchObject({ ok: false, status: 403, error: { details: { requiredRoles: ['sales_manager', 'ops'] } } });
      const opsCancel = await h.call('ops', 'POST', '/v1/finance/stuck/actions', {
        action: 'cancel',
        journeyIds: [parkedId, waiting],
        note: 'customer withdrew',
      });
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

      const response = await h.call('finance', 'POST', '/v1/finance/stuck/actions', {
        action: 'reassign',
        journeyIds: [running, 'jrn_missing', ended],
        ownerId: 'usr-west-2',
        note: 'Doris is away',
      });
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
      expect(detail.timeline).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event: 'REASSIGN', actor: 'usr-finance', detail: expect.objectContaining({ to: 'usr-west-2', note: 'Doris is away' }) }),
        ]),
      );
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
      const late = await h.call('rep', 'POST', `/v1/journeys/${before}/confirmations`, { stage: 'opportunity', decision: 'approve' });
      expect(late.statusCode).toBe(409);
      // Refused by the running workflow's validator, or, once it has closed, by the API.
      expect(late.json().error.details.allowedEvents).toEqual([]);
      expect(['stale_checkpoint', 'transition_not_allowed']).toContain(late.json().error.code);
    });
  });
});
