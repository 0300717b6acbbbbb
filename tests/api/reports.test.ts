// GET /v1/reports/kpis over a hand-built history: 13 journeys written as projection rows and stage
// transitions with chosen dates, amounts and outcomes, and the figures each must give, worked out
// by hand below. The clock is pinned at 2026-07-01, the end of the period 2026-01-01..2026-06-30.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection';
import { insertJourney } from './fixtures';
import { createHarness, type Harness, type Persona } from './harness';

const NOW = new Date('2026-07-01T00:00:00Z');
const PERIOD = 'from=2026-01-01&to=2026-06-30';
const FINAL = ['closed', 'lost', 'cancelled', 'disqualified', 'written_off'];

type Step = [stage: string, day: string, amount?: string, currency?: string];

/** A journey that went through `steps` (the first is its start), resting in the last one. */
async function history(db: Db, id: string, ownerId: string, steps: Step[]): Promise<void> {
  const last = steps.at(-1)!;
  await insertJourney(db, {
    id,
    ownerId,
    stage: last[0],
    status: FINAL.includes(last[0]) ? 'done' : 'waiting',
    amount: last[2] ?? null,
    currency: last[3] ?? 'EUR',
    stageEnteredAt: new Date(`${last[1]}T00:00:00Z`),
  });
  await db('journey_transitions').insert(
    steps.map(([stage, day, amount, currency], i) => ({
      journey_id: id,
      seq: i + 1,
      at: new Date(`${day}T00:00:00Z`),
      from_stage: i === 0 ? null : steps[i - 1]![0],
      to_stage: stage,
      amount: amount ?? null,
      currency: amount ? (currency ?? 'EUR') : null,
    })),
  );
}

const DACH = 'usr-dach-1';
const WEST = 'usr-west-1';

interface Money {
  amount: string;
  currency: string;
}
interface Figures {
  pipeline: { byStage: { stage: string; count: number; amount: Money; weighted: Money }[]; total: Money; weighted: Money };
  winRate: { count: number | null; value: number | null };
  conversion: { from: string; to: string; rate: number | null }[];
  cycleTimeDays: { median: number | null; p80: number | null };
  averageDealSize: Money | null;
  timeInStage: { stage: string; medianHours: number; p90Hours: number }[];
  receivables: { ageing: Record<'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90_plus', Money>; dsoDays: number | null };
  orderToCashDays: { median: number | null };
}
type Report = Figures & { groups?: (Figures & { group: string | null; label: string | null })[] };

const eur = (amount: string): Money => ({ amount, currency: 'EUR' });

describe('KPI report', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ now: () => NOW });
    const db = h.deps.db;
    // Won: J1 in 30 days (order to cash 15), J2 in 40 (28), J3 in 50 (40); invoiced 1190, 595, 2380.
    await history(db, 'J1', DACH, [
      ['lead', '2026-01-05'],
      ['opportunity', '2026-01-10', '1000.00'],
      ['ordering', '2026-01-20', '1000.00'],
      ['awaiting_payment', '2026-01-25', '1190.00'],
      ['paid', '2026-02-04', '0.00'],
      ['closed', '2026-02-04', '0.00'],
    ]);
    await history(db, 'J2', DACH, [
      ['lead', '2026-02-01'],
      ['opportunity', '2026-02-03', '500.00'],
      ['ordering', '2026-02-13', '500.00'],
      ['awaiting_payment', '2026-02-15', '595.00'],
      ['paid', '2026-03-13', '0.00'],
    ]);
    await history(db, 'J3', WEST, [
      ['lead', '2026-03-01'],
      ['opportunity', '2026-03-02', '2000.00'],
      ['ordering', '2026-03-11', '2000.00'],
      ['awaiting_payment', '2026-03-12', '2380.00'],
      ['paid', '2026-04-20', '0.00'],
    ]);
    // Decided without a sale: lost at 800, cancelled after ordering at 300; disqualified never was an opportunity.
    await history(db, 'J4', DACH, [
      ['lead', '2026-01-10'],
      ['opportunity', '2026-01-15', '800.00'],
      ['lost', '2026-02-15', '800.00'],
    ]);
    await history(db, 'J5', WEST, [
      ['lead', '2026-02-10'],
      ['opportunity', '2026-02-12', '300.00'],
      ['ordering', '2026-02-20', '300.00'],
      ['cancelled', '2026-02-25', '300.00'],
    ]);
    await history(db, 'J6', DACH, [
      ['lead', '2026-03-05'],
      ['disqualified', '2026-03-06'],
    ]);
    // Open: quote_sent 1000 (× 0.5), opportunity 400 (× 0.2), ordering in USD.
    await history(db, 'J7', DACH, [
      ['lead', '2026-04-01'],
      ['opportunity', '2026-04-05', '1000.00'],
      ['quote_sent', '2026-04-10', '1000.00'],
    ]);
    await history(db, 'J8', WEST, [
      ['lead', '2026-05-01'],
      ['opportunity', '2026-05-10', '400.00'],
    ]);
    await history(db, 'J13', DACH, [
      ['lead', '2026-04-01'],
      ['opportunity', '2026-04-02', '50.00', 'USD'],
      ['ordering', '2026-04-03', '50.00', 'USD'],
    ]);
    // Receivables (terms P30D): due 05-31, 31 days late; due 02-07, 144 days late (collections); due 07-20, current.
    await history(db, 'J9', DACH, [
      ['lead', '2026-03-01'],
      ['opportunity', '2026-03-03', '1000.00'],
      ['ordering', '2026-03-10', '1000.00'],
      ['awaiting_payment', '2026-05-01', '1190.00'],
    ]);
    await history(db, 'J10', WEST, [
      ['lead', '2026-01-02'],
      ['opportunity', '2026-01-04', '500.00'],
      ['ordering', '2026-01-06', '500.00'],
      ['awaiting_payment', '2026-01-08', '595.00'],
      ['collections', '2026-02-12', '595.00'],
    ]);
    await history(db, 'J11', DACH, [
      ['lead', '2026-06-01'],
      ['opportunity', '2026-06-02', '100.00'],
      ['ordering', '2026-06-05', '100.00'],
      ['awaiting_payment', '2026-06-20', '119.00'],
    ]);
    // Before the period: in no figure of it.
    await history(db, 'J12', WEST, [
      ['lead', '2025-10-01'],
      ['opportunity', '2025-10-05', '700.00'],
      ['lost', '2025-11-01', '700.00'],
    ]);
  });
  afterAll(async () => {
    await h.close();
  });

  const report = async (as: Persona, query: string) => {
    const response = await h.call(as, 'GET', `/v1/reports/kpis?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Report>();
  };

  it('gives the hand-computed figures for the period', async () => {
    const r = await report('admin', PERIOD);
    // Open at 07-01: J8, J7, J13 (USD: counted, no EUR amount), J9 + J11, J10.
    expect(r.pipeline).toEqual({
      byStage: [
        { stage: 'opportunity', count: 1, amount: eur('400.00'), weighted: eur('80.00') },
        { stage: 'quote_sent', count: 1, amount: eur('1000.00'), weighted: eur('500.00') },
        { stage: 'ordering', count: 1, amount: eur('0.00'), weighted: eur('0.00') },
        { stage: 'awaiting_payment', count: 2, amount: eur('1309.00'), weighted: eur('1243.55') },
        { stage: 'collections', count: 1, amount: eur('595.00'), weighted: eur('297.50') },
      ],
      total: eur('3304.00'),
      weighted: eur('2121.05'),
    });
    // Decided in the period: J1, J2, J3 won, J4 and J5 not: 3/5; by value 4165 / 5265.
    expect(r.winRate).toEqual({ count: 0.6, value: 0.7911 });
    // Cohort of 12 (J12 started in 2025): 11 opportunities, 8 orders, 3 paid.
    expect(r.conversion).toEqual([
      { from: 'lead', to: 'opportunity', rate: 0.9167 },
      { from: 'opportunity', to: 'order', rate: 0.7273 },
      { from: 'order', to: 'paid', rate: 0.375 },
    ]);
    // 30, 40, 50 days: median 40, p80 40 + 0.6 × 10.
    expect(r.cycleTimeDays).toEqual({ median: 40, p80: 46 });
    expect(r.averageDealSize).toEqual(eur('1388.33'));
    // Stays that ended in the period, in hours (interpolated percentiles); J1's paid → closed took no time.
    expect(r.timeInStage).toEqual([
      { stage: 'lead', medianHours: 48, p90Hours: 120 },
      { stage: 'opportunity', medianHours: 180, p90Hours: 290.4 },
      { stage: 'ordering', medianHours: 120, p90Hours: 715.2 },
      { stage: 'awaiting_payment', medianHours: 732, p90Hours: 907.2 },
      { stage: 'paid', medianHours: 0, p90Hours: 0 },
    ]);
    // Due 1904.00 against 6069.00 invoiced over 181 days.
    expect(r.receivables).toEqual({
      ageing: { current: eur('119.00'), d1_30: eur('0.00'), d31_60: eur('1190.00'), d61_90: eur('0.00'), d90_plus: eur('595.00') },
      dsoDays: 56.8,
    });
    expect(r.orderToCashDays).toEqual({ median: 28 });
    expect(r.groups).toBeUndefined();
  });

  it('gives empty figures for a period without history', async () => {
    const zero = eur('0.00');
    expect(await report('admin', 'from=2025-01-01&to=2025-06-30')).toEqual({
      pipeline: { byStage: [], total: zero, weighted: zero },
      winRate: { count: null, value: null },
      conversion: [
        { from: 'lead', to: 'opportunity', rate: null },
        { from: 'opportunity', to: 'order', rate: null },
        { from: 'order', to: 'paid', rate: null },
      ],
      cycleTimeDays: { median: null, p80: null },
      averageDealSize: null,
      timeInStage: [],
      receivables: { ageing: { current: zero, d1_30: zero, d31_60: zero, d61_90: zero, d90_plus: zero }, dsoDays: null },
      orderToCashDays: { median: null },
    });
  });

  it('shows a rep only their own journeys', async () => {
    const r = await report('rep', PERIOD);
    expect(r.pipeline.total).toEqual(eur('2309.00'));
    expect(r.pipeline.weighted).toEqual(eur('1743.55'));
    // J1, J2 won, J4 lost: 1785 / 2585 by value.
    expect(r.winRate).toEqual({ count: 0.6667, value: 0.6905 });
    expect(r.conversion.map((c) => c.rate)).toEqual([0.875, 0.7143, 0.4]);
    expect(r.cycleTimeDays).toEqual({ median: 35, p80: 38 });
    expect(r.averageDealSize).toEqual(eur('892.50'));
    // 1309 due against 3094 invoiced over 181 days.
    expect(r.receivables.dsoDays).toBe(76.6);
    expect(r.orderToCashDays).toEqual({ median: 21.5 });
    const other = await report('otherRep', PERIOD);
    expect(other.winRate).toEqual({ count: 0.5, value: 0.8881 });
    expect(other.pipeline.total).toEqual(eur('995.00'));
  });

  it('sums money in the currency asked for', async () => {
    const r = await report('admin', `${PERIOD}&currency=USD`);
    expect(r.pipeline.byStage.find((s) => s.stage === 'ordering')).toEqual({
      stage: 'ordering',
      count: 1,
      amount: { amount: '50.00', currency: 'USD' },
      weighted: { amount: '40.00', currency: 'USD' },
    });
    expect(r.averageDealSize).toBeNull();
  });

  it('groups by team, owner and month with the same figures per group', async () => {
    const rep = await report('rep', PERIOD);
    const byTeam = await report('manager', `${PERIOD}&groupBy=team`);
    expect(byTeam.groups?.map((g) => g.group)).toEqual(['dach', 'west']);
    const { group: _g, label: _l, ...dach } = byTeam.groups![0]!;
    expect(dach).toEqual(rep);

    const byOwner = await report('admin', `${PERIOD}&groupBy=owner`);
    expect(byOwner.groups?.map((g) => [g.group, g.label])).toEqual([
      [DACH, 'Dieter Dach'],
      [WEST, 'Wendy West'],
    ]);

    const byMonth = await report('admin', `${PERIOD}&groupBy=month`);
    expect(byMonth.groups?.map((g) => g.group)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    // February: J1 won, J4 lost, J5 cancelled.
    expect(byMonth.groups![1]!.winRate.count).toBe(0.3333);
    // A rep's groups hold only their own journeys.
    expect((await report('rep', `${PERIOD}&groupBy=owner`)).groups?.map((g) => g.group)).toEqual([DACH]);
  });

  it('exports the same figures as CSV', async () => {
    const json = await report('admin', `${PERIOD}&groupBy=team`);
    const response = await h.call('admin', 'GET', `/v1/reports/kpis?${PERIOD}&groupBy=team`, undefined, { accept: 'text/csv' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = response.body.trimEnd().split('\r\n');
    expect(header).toBe('group,figure,value,currency');
    const rows = lines.map((l) => l.split(','));

    // Every row read back through the JSON by its path; money rows carry the currency.
    const at = (figures: unknown, path: string): unknown =>
      path.split('.').reduce<unknown>((node, key) => {
        if (Array.isArray(node)) return node.find((i: Record<string, unknown>) => i.stage === key || `${String(i.from)}-${String(i.to)}` === key);
        return (node as Record<string, unknown>)[key];
      }, figures);
    let leaves = 0;
    for (const [group, figure, value, currency] of rows) {
      const figures = group === 'all' ? json : json.groups!.find((g) => `team:${g.group}` === group);
      const expected = at(figures, figure!);
      if (currency) expect(expected, figure).toEqual({ amount: value, currency });
      else expect(expected === null ? '' : String(expected), `${group} ${figure}`).toBe(value);
      leaves++;
    }
    expect(rows.filter((r) => r[0] === 'all').map((r) => r[1])).toEqual(
      expect.arrayContaining([
        'pipeline.weighted',
        'winRate.value',
        'conversion.lead-opportunity.rate',
        'timeInStage.opportunity.p90Hours',
        'receivables.ageing.d90_plus',
        'receivables.dsoDays',
      ]),
    );
    expect(rows.find((r) => r[0] === 'all' && r[1] === 'receivables.dsoDays')?.[2]).toBe('56.8');
    // 3 groups (all, dach, west), each with at least the 24 fixed figures.
    expect(leaves).toBeGreaterThanOrEqual(3 * 24);
  });

  it('refuses a bad period or grouping with the field named', async () => {
    const bad = async (query: string, path: string) => {
      const response = await h.call('admin', 'GET', `/v1/reports/kpis?${query}`);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_request', details: { issues: [expect.objectContaining({ path })] } } });
    };
    await bad('from=2026-06-30&to=2026-01-01', 'querystring.from');
    await bad('from=2999-01-01', 'querystring.from');
    await bad('from=2026-13-01', 'querystring.from');
    await bad('groupBy=year', 'querystring.groupBy');
    await bad('from=2010-01-01&to=2026-01-01', 'querystring.from');
    await bad('currency=euro', 'querystring.currency');
    expect((await h.call(null, 'GET', '/v1/reports/kpis')).statusCode).toBe(401);
  });

  it('is described in the OpenAPI document with its CSV form', async () => {
    const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json<{
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }>;
    }>();
    const ok = doc.paths['/v1/reports/kpis']?.get.responses['200'];
    expect(Object.keys(ok?.content ?? {})).toEqual(['application/json', 'text/csv']);
    for (const name of [
      'byStage',
      'weighted',
      'winRate',
      'conversion',
      'cycleTimeDays',
      'averageDealSize',
      'timeInStage',
      'dsoDays',
      'd90_plus',
      'orderToCashDays',
    ]) {
      expect(JSON.stringify(ok)).toContain(name);
    }
  });
});
