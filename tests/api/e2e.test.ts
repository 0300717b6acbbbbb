// End to end over a real port: a lead captured and walked to `closed` through the HTTP API alone
// (real worker, PostgreSQL, Temporal and SMTP sink), then found in the pipeline and the reports.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, newLead, type Harness, type Persona } from './harness';

describe('the API end to end over a real port', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await h.close();
  });

  async function api(as: Persona, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${h.tokens[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function expectOk(as: Persona, method: 'GET' | 'POST', path: string, body?: unknown) {
    const result = await api(as, method, path, body);
    expect(result.status, `${as} ${method} ${path} → ${JSON.stringify(result.body)}`).toBeLessThan(300);
    return result.body;
  }

  /** Waits until the projection shows the journey out of `running` in one of the stages. */
  async function settledIn(journeyId: string, stages: string[]): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      // Until capture assigns an owner in the manager's team, the journey is outside their scope (404).
      const read = await api('manager', 'GET', `/v1/journeys/${journeyId}`);
      const detail = read.status === 404 && Date.now() < deadline ? {} : await expectOk('manager', 'GET', `/v1/journeys/${journeyId}`);
      if (stages.includes(String(detail.stage)) && detail.status !== 'running') return detail;
      if (Date.now() > deadline) throw new Error(`journey stayed in ${String(detail.stage)} (${String(detail.status)}), expected ${stages.join('|')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('walks a lead to closed and finds it in the pipeline', async () => {
    const created = await api('rep', 'POST', '/v1/leads', newLead());
    // 201 with the stage after capture; 202 while capture still runs (then the 360 view tells).
    expect([201, 202], JSON.stringify(created.body)).toContain(created.status);
    const journeyId = String(created.body.journeyId);
    const captured = created.status === 201 ? created.body : await settledIn(journeyId, ['qualification', 'opportunity']);
    expect(captured.status, JSON.stringify(created.body)).not.toBe('parked');
    if (created.status === 201) expect(String(created.body.leadId), JSON.stringify(created.body)).toMatch(/^lead/);
    expect(created.body.duplicateOf).toBeUndefined();

    // The lead auto-confirms; qualification auto-qualifies at the SQL threshold, else the rep does.
    let detail = await settledIn(journeyId, ['qualification', 'opportunity']);
    expect((detail.owner as { id: string }).id).toBe('usr-dach-1');
    if (detail.stage === 'qualification')
      await expectOk('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'qualification', decision: 'approve' });
    await settledIn(journeyId, ['opportunity']);

    await expectOk('rep', 'POST', `/v1/journeys/${journeyId}/events`, {
      type: 'PROPOSE',
      data: {
        lines: [
          { sku: 'HUB-1', quantity: 2 },
          { sku: 'SEN-5', quantity: 4 },
        ],
      },
    });
    detail = await settledIn(journeyId, ['quote_sent']);
    expect((detail.documents as { quotes: unknown[] }).quotes).toHaveLength(1);

    await expectOk('rep', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'ACCEPT' });
    await settledIn(journeyId, ['ordering']);
    await expectOk('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await settledIn(journeyId, ['fulfilment']);

    await expectOk('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'PICKED' });
    await expectOk('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'PACKED' });
    await expectOk('warehouse', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'SHIPPED', data: { carrier: 'DHL', trackingNumber: 'JD0001' } });
    detail = await settledIn(journeyId, ['awaiting_payment']);
    const invoice = (detail.documents as { invoices: { total: { amount: string; currency: string }; amountDue: { amount: string; currency: string } }[] })
      .invoices[0];
    expect(invoice?.amountDue.currency).toBe('EUR');

    await expectOk('finance', 'POST', `/v1/journeys/${journeyId}/events`, {
      type: 'PAYMENT_RECEIVED',
      data: { ...invoice?.amountDue, reference: 'BANK-0001' },
    });
    detail = await settledIn(journeyId, ['closed']);
    expect(detail.status).toBe('done');

    // The pipeline reads the projection, which the workflow writes right after the last step.
    await eventually(async () => {
      const pipeline = await expectOk('rep', 'GET', '/v1/pipeline');
      expect((pipeline.stages as { stage: string; count: number }[]).find((s) => s.stage === 'closed')?.count).toBe(1);
      // Won counts what was invoiced, not the 0.00 left due.
      expect(pipeline.won).toEqual({ count: 1, amounts: [invoice?.total] });
    });
    const closed = await expectOk('rep', 'GET', '/v1/journeys?stage=closed');
    expect((closed.items as { id: string }[]).map((j) => j.id)).toEqual([journeyId]);
    detail = await expectOk('rep', 'GET', `/v1/journeys/${journeyId}`);
    const stages = (detail.timeline as { type: string; stage: string }[]).filter((e) => e.type === 'transition').map((e) => e.stage);
    expect(stages).toEqual(
      expect.arrayContaining(['opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment', 'invoicing', 'awaiting_payment', 'paid', 'closed']),
    );
    expect((detail.notifications as { kind: string }[]).map((n) => n.kind)).toEqual(expect.arrayContaining(['quote', 'shipment', 'invoice']));
    expect((detail.documents as { payments: { reference: string }[] }).payments.map((p) => p.reference)).toEqual(['BANK-0001']);

    // The reports read the stage transitions the workflow recorded: one deal, won at its invoiced total.
    const kpis = await expectOk('rep', 'GET', '/v1/reports/kpis');
    expect(kpis.winRate).toEqual({ count: 1, value: 1 });
    expect(kpis.averageDealSize).toEqual(invoice?.total);
    expect((kpis.conversion as { rate: number }[]).map((c) => c.rate)).toEqual([1, 1, 1]);
    expect(kpis.pipeline).toMatchObject({ byStage: [] });
  });
});
