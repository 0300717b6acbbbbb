// GET /v1/pipeline: open pipeline and won totals over journeys in open, won and ended stages; what
// ended without a sale (cancelled, lost, disqualified, written off) is shown per stage but counted
// in neither. Expected figures are computed by hand from the fixtures and the demo price book.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createMailer, type Mailer } from '../../activities/mail/mailer';
import { journeyUpTo, NOW } from '../helpers/activities';
import { insertJourney } from './fixtures';
import { createHarness, type Harness, type Persona } from './harness';

interface Totals {
  count: number;
  amounts: { amount: string; currency: string }[];
}
interface Pipeline {
  stages: { stage: string; count: number; amounts: { amount: string; currency: string }[]; countsIn: 'openPipeline' | 'won' | null }[];
  openPipeline: Totals;
  won: Totals;
  total: { count: number };
}

describe('pipeline totals', () => {
  let h: Harness;
  let mailer: Mailer;
  beforeAll(async () => {
    h = await createHarness();
    const db = h.deps.db;
    mailer = createMailer(inject('stack').smtpUrl);
    const acts = createActivities({ db, mailer, now: () => NOW });

    // Won: invoiced through the activities. 2 × HUB-1 at 89.00 in DE: 178.00 + 19 % = 211.82;
    // 1 × HUB-1 in FR: 89.00 + 20 % = 106.80. Their projection amount is what is still due: 0.00.
    const closed = await journeyUpTo(acts, 'invoice', { lead: { country: 'DE' }, lines: [{ sku: 'HUB-1', quantity: 2 }] });
    const paid = await journeyUpTo(acts, 'invoice', { lead: { country: 'FR' }, lines: [{ sku: 'HUB-1', quantity: 1 }] });
    await insertJourney(db, { id: closed.journeyId, stage: 'closed', status: 'done', amount: '0.00' });
    await insertJourney(db, { id: paid.journeyId, stage: 'paid', status: 'running', amount: '0.00' });

    // Open: 100.00 + 250.50 + 373.62 + 900.00 = 1624.12 EUR (the lead has no amount yet), and 77.00 USD.
    await insertJourney(db, { stage: 'lead', status: 'running' });
    await insertJourney(db, { stage: 'opportunity', amount: '100.00' });
    await insertJourney(db, { stage: 'quote_sent', status: 'waiting', amount: '250.50' });
    await insertJourney(db, { stage: 'awaiting_payment', status: 'waiting', amount: '373.62' });
    await insertJourney(db, { stage: 'collections', ownerId: 'usr-west-1', amount: '900.00' });
    await insertJourney(db, { stage: 'fulfilment', status: 'running', amount: '77.00', currency: 'USD' });

    // Ended without a sale: in neither total.
    await insertJourney(db, { stage: 'cancelled', status: 'done', amount: '5000.00' });
    await insertJourney(db, { stage: 'written_off', status: 'done', amount: '373.62' });
    await insertJourney(db, { stage: 'lost', status: 'done', amount: '1200.00' });
    await insertJourney(db, { stage: 'disqualified', status: 'done' });
    // A final stage of another process ends its journeys too.
    await insertJourney(db, { stage: 'archived', status: 'done', amount: '42.00' });
  });
  afterAll(async () => {
    mailer.close();
    await h.close();
  });

  const pipeline = async (as: Persona) => {
    const response = await h.call(as, 'GET', '/v1/pipeline');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Pipeline>();
  };

  it('counts open pipeline and won amounts, never cancelled, lost or written off', async () => {
    const all = await pipeline('admin');
    expect(all.openPipeline).toEqual({
      count: 6,
      amounts: [
        { amount: '1624.12', currency: 'EUR' },
        { amount: '77.00', currency: 'USD' },
      ],
    });
    expect(all.won).toEqual({ count: 2, amounts: [{ amount: '318.62', currency: 'EUR' }] });
    expect(all.total).toEqual({ count: 13 });
  });

  it('reports every stage with the total it counts in; ended stages keep their amounts but count in none', async () => {
    const all = await pipeline('admin');
    const stage = (name: string) => all.stages.find((s) => s.stage === name);
    expect(all.stages.map((s) => s.stage)).toEqual([
      'lead',
      'opportunity',
      'quote_sent',
      'fulfilment',
      'awaiting_payment',
      'collections',
      'paid',
      'closed',
      'disqualified',
      'lost',
      'cancelled',
      'written_off',
      'archived',
    ]);
    expect(stage('awaiting_payment')).toEqual({
      stage: 'awaiting_payment',
      count: 1,
      amounts: [{ amount: '373.62', currency: 'EUR' }],
      countsIn: 'openPipeline',
    });
    expect(stage('lead')).toEqual({ stage: 'lead', count: 1, amounts: [], countsIn: 'openPipeline' });
    expect(stage('closed')).toEqual({ stage: 'closed', count: 1, amounts: [{ amount: '211.82', currency: 'EUR' }], countsIn: 'won' });
    expect(stage('paid')).toEqual({ stage: 'paid', count: 1, amounts: [{ amount: '106.80', currency: 'EUR' }], countsIn: 'won' });
    expect(stage('cancelled')).toEqual({ stage: 'cancelled', count: 1, amounts: [{ amount: '5000.00', currency: 'EUR' }], countsIn: null });
    expect(stage('written_off')).toEqual({ stage: 'written_off', count: 1, amounts: [{ amount: '373.62', currency: 'EUR' }], countsIn: null });
    expect(stage('lost')?.countsIn).toBeNull();
    expect(stage('disqualified')).toEqual({ stage: 'disqualified', count: 1, amounts: [], countsIn: null });
    expect(stage('archived')).toEqual({ stage: 'archived', count: 1, amounts: [{ amount: '42.00', currency: 'EUR' }], countsIn: null });
  });

  it("keeps to the caller's scope", async () => {
    // usr-west-1's collections journey is not the rep's: 1624.12 − 900.00 = 724.12.
    const rep = await pipeline('rep');
    expect(rep.openPipeline).toEqual({
      count: 5,
      amounts: [
        { amount: '724.12', currency: 'EUR' },
        { amount: '77.00', currency: 'USD' },
      ],
    });
    expect(rep.won).toEqual({ count: 2, amounts: [{ amount: '318.62', currency: 'EUR' }] });
    expect(rep.total).toEqual({ count: 12 });
    const other = await pipeline('otherRep');
    expect(other).toMatchObject({
      openPipeline: { count: 1, amounts: [{ amount: '900.00', currency: 'EUR' }] },
      won: { count: 0, amounts: [] },
      total: { count: 1 },
    });
  });

  it('documents each total in the OpenAPI description', async () => {
    const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json<{
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
    }>();
    const schema = JSON.stringify(doc.paths['/v1/pipeline']?.get.responses['200']);
    for (const name of ['openPipeline', 'won', 'countsIn']) expect(schema).toContain(name);
    expect(schema).toContain('written_off');
  });
});
