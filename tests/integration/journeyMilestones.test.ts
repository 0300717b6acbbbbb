// What PostgreSQL derives from the stage transitions for reports (migrations 0111 and 0119): when
// each stay ended, each journey's milestones and current stage, and the daily roll-ups of stay
// lengths, milestones and stage occupancy; kept right when a transition arrives late, is written
// twice, or its journey is deleted, backfilled for the history written before the migrations, and
// giving the same report as the journeys read one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyRecordActivities } from '../../activities/journeyRecord';
import { kpiReport } from '../../api/reports/kpis';
import { createDb, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations/index';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const at = (iso: string) => new Date(iso);
const HOUR = 3600;

async function journey(db: Db, id: string, ownerId: string | null = null): Promise<void> {
  await db('journeys').insert({
    id,
    workflow_id: `journey-${id}`,
    definition_key: 'lead-to-cash',
    definition_version: 1,
    owner_id: ownerId,
    stage: 'lead',
    status: 'waiting',
    stage_entered_at: at('2026-03-01T00:00:00Z'),
  });
}

const transition = (id: string, seq: number, stage: string, iso: string, amount: string | null = null) => ({
  journey_id: id,
  seq,
  at: at(iso),
  from_stage: null,
  to_stage: stage,
  amount,
  currency: amount === null ? null : 'EUR',
});

const leftAt = async (db: Db, id: string) =>
  ((await db('journey_transitions').where({ journey_id: id }).orderBy('seq').select('seq', 'left_at')) as { seq: number; left_at: Date | null }[]).map((r) => [
    r.seq,
    r.left_at?.toISOString() ?? null,
  ]);

/** The daily histogram of stays, as [day, stage, mean hours, stays]. */
const rollUp = async (db: Db) =>
  (
    (await db('length_histograms')
      .where({ period: 'day', measure: 'stay' })
      .whereNot('n', 0)
      .orderBy(['start', 'stage'])
      .select(db.raw(`to_char(start, 'YYYY-MM-DD') as day`), 'stage', 'seconds', 'n')) as { day: string; stage: string; seconds: string; n: string }[]
  ).map((r) => [r.day, r.stage, Number(r.seconds) / Number(r.n) / HOUR, Number(r.n)]);

/** What every roll-up holds that is not zero: a deleted journey must leave none of it behind. */
const rollUpsLeft = async (db: Db) => ({
  milestones: (await db('milestones_daily').whereNot('journeys', 0).orWhereNot('amount', 0)).length,
  occupancy: (await db('stage_occupancy_daily').whereNot('journeys', 0).orWhereNot('amount', 0)).length,
  lengths: (await db('length_histograms').whereNot('n', 0).orWhereNot('seconds', 0)).length,
});

describe('journey milestones and the stays roll-up', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('follow transitions that arrive late or twice, and a deleted journey', async () => {
    const { db } = t;
    await journey(db, 'jrn-m1');
    await db('journey_transitions').insert([
      transition('jrn-m1', 1, 'lead', '2026-03-01T00:00:00Z'),
      transition('jrn-m1', 3, 'opportunity', '2026-03-03T00:00:00Z', '100.00'),
    ]);
    // The lead's stay ended 03-03 for now: 48 hours.
    expect(await rollUp(db)).toEqual([['2026-03-03', 'lead', 48, 1]]);

    // Qualification (seq 2) arrives after the opportunity was written; the invoice with it.
    const late = [
      transition('jrn-m1', 2, 'qualification', '2026-03-02T12:00:00Z'),
      transition('jrn-m1', 4, 'awaiting_payment', '2026-03-05T00:00:00Z', '119.00'),
    ];
    await db('journey_transitions').insert(late);
    await db('journey_transitions').insert(late).onConflict(['journey_id', 'seq']).ignore();
    expect(await leftAt(db, 'jrn-m1')).toEqual([
      [1, '2026-03-02T12:00:00.000Z'],
      [2, '2026-03-03T00:00:00.000Z'],
      [3, '2026-03-05T00:00:00.000Z'],
      [4, null],
    ]);
    expect(await rollUp(db)).toEqual([
      ['2026-03-02', 'lead', 36, 1],
      ['2026-03-03', 'qualification', 12, 1],
      ['2026-03-05', 'opportunity', 48, 1],
    ]);
    expect(await db('journey_milestones').where({ journey_id: 'jrn-m1' }).first()).toMatchObject({
      started_at: at('2026-03-01T00:00:00Z'),
      opportunity_at: at('2026-03-03T00:00:00Z'),
      order_at: null,
      invoiced_at: at('2026-03-05T00:00:00Z'),
      invoiced_amount: '119.00',
      invoiced_currency: 'EUR',
      won_at: null,
      lost_at: null,
      stage: 'awaiting_payment',
      stage_at: at('2026-03-05T00:00:00Z'),
      amount: '119.00',
      currency: 'EUR',
    });

    // Counted once each, though the lead's stay first ended 03-03 (before seq 2 came).
    expect(
      await db('milestones_daily').whereNot('journeys', 0).orderBy('kind').select('kind', db.raw(`to_char(day, 'YYYY-MM-DD') as day`), 'journeys', 'amount'),
    ).toEqual([
      { kind: 'invoiced', day: '2026-03-05', journeys: '1', amount: '119.00' },
      { kind: 'opportunity', day: '2026-03-03', journeys: '1', amount: '0.00' },
      { kind: 'started', day: '2026-03-01', journeys: '1', amount: '0.00' },
    ]);
    expect(
      await db('stage_occupancy_daily')
        .whereNot('journeys', 0)
        .orderBy(['day', 'stage'])
        .select(db.raw(`to_char(day, 'YYYY-MM-DD') as day`), 'stage', 'journeys', 'amount'),
    ).toEqual([
      { day: '2026-03-01', stage: 'lead', journeys: '1', amount: '0.00' },
      { day: '2026-03-02', stage: 'lead', journeys: '-1', amount: '0.00' },
      { day: '2026-03-02', stage: 'qualification', journeys: '1', amount: '0.00' },
      { day: '2026-03-03', stage: 'opportunity', journeys: '1', amount: '100.00' },
      { day: '2026-03-03', stage: 'qualification', journeys: '-1', amount: '0.00' },
      { day: '2026-03-05', stage: 'awaiting_payment', journeys: '1', amount: '119.00' },
      { day: '2026-03-05', stage: 'opportunity', journeys: '-1', amount: '-100.00' },
    ]);

    await db('journeys').where({ id: 'jrn-m1' }).delete();
    expect(await rollUp(db)).toEqual([]);
    expect(await rollUpsLeft(db)).toEqual({ milestones: 0, occupancy: 0, lengths: 0 });
    expect(await db('journey_milestones').where({ journey_id: 'jrn-m1' })).toEqual([]);
  });

  it('are written with the transitions recordJourney writes', async () => {
    const { recordJourney } = journeyRecordActivities({ db: t.db });
    await recordJourney({
      journeyId: 'jrn-m2',
      workflowId: 'journey-jrn-m2',
      definition: { key: 'lead-to-cash', version: 1 },
      version: 1,
      stage: 'opportunity',
      status: 'waiting',
      stageEnteredAt: '2026-04-02T06:00:00.000Z',
      ownerId: null,
      lead: { name: 'Ada', email: 'ada@example.com', company: null },
      amount: { amount: '700.00', currency: 'EUR' },
      pending: null,
      parked: null,
      slaDueAt: null,
      audit: [
        { seq: 1, at: '2026-04-01T00:00:00.000Z', type: 'started', stage: 'lead', detail: {} },
        { seq: 2, at: '2026-04-02T06:00:00.000Z', type: 'transition', stage: 'opportunity', event: 'QUALIFY', detail: { from: 'lead', to: 'opportunity' } },
      ],
    });
    expect(await t.db('journey_milestones').where({ journey_id: 'jrn-m2' }).first()).toMatchObject({
      started_at: at('2026-04-01T00:00:00Z'),
      opportunity_at: at('2026-04-02T06:00:00Z'),
      stage: 'opportunity',
      amount: '700.00',
    });
    expect(await rollUp(t.db)).toEqual([['2026-04-02', 'lead', 30, 1]]);
  });

  it('take concurrent writers without a deadlock: every journey written at once, stage after stage', async () => {
    // Each write subtracts a journey's old milestones and adds its new ones, so concurrent writers
    // meet on today's roll-up rows in several statements; the first try must always succeed
    // (a deadlock here costs a retry of the projection write in the workflow).
    const writers = createDb(t.url, { max: 30 });
    const { recordJourney } = journeyRecordActivities({ db: writers });
    const stages = ['lead', 'qualification', 'opportunity', 'quote', 'order', 'fulfilment', 'awaiting_payment', 'paid', 'closed'];
    // Three rounds of 60 journeys: without the writers taking turns, a deadlock showed in one round of three.
    const ids = Array.from({ length: 180 }, (_, i) => `jrn-dl${i}`);
    const startedAt = Date.now();
    const record = (id: string, i: number, step: number) => {
      const at = (k: number) => new Date(startedAt + k * 1000 + i).toISOString();
      // Odd journeys start a day earlier, so writers touch their rows in different orders.
      const startAt = i % 2 ? new Date(startedAt - 86_400_000 + i).toISOString() : at(0);
      return recordJourney({
        journeyId: id,
        workflowId: `journey-${id}`,
        definition: { key: 'lead-to-cash', version: 1 },
        version: step + 1,
        stage: stages[step]!,
        status: 'waiting',
        stageEnteredAt: at(step),
        ownerId: null,
        lead: { name: 'Ada', email: 'ada@example.com', company: null },
        amount: step >= 3 ? { amount: String(100 + i), currency: i % 3 ? 'EUR' : 'USD' } : null,
        pending: null,
        parked: null,
        slaDueAt: null,
        audit: [
          step === 0
            ? { seq: 1, at: startAt, type: 'started', stage: 'lead', detail: {} }
            : { seq: step + 1, at: at(step), type: 'transition', stage: stages[step]!, detail: { from: stages[step - 1], to: stages[step] } },
        ],
      });
    };
    // Each journey walks on its own, all at once, so writers at different stages meet.
    const failures: string[] = [];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        ids.slice(round * 60, round * 60 + 60).map(async (id, i) => {
          for (let step = 0; step < stages.length; step++) await record(id, i, step).catch((e: Error) => failures.push(`${id} ${stages[step]}: ${e.message}`));
        }),
      );
    }
    await writers.destroy();
    expect(failures).toEqual([]);
    const paid = await t.db('milestones_daily').where({ kind: 'paid' }).sum({ n: 'journeys' }).first();
    expect(Number(paid?.n)).toBe(ids.length);
  });

  it("give the same time in stage from the roll-up and today's stays as from the stays alone", async () => {
    const { db } = t;
    const now = at('2026-05-10T18:00:00Z');
    await journey(db, 'jrn-p1', 'usr-a');
    await journey(db, 'jrn-p2', 'usr-a');
    await db('journey_transitions').insert([
      transition('jrn-p1', 1, 'lead', '2026-05-01T00:00:00Z'),
      transition('jrn-p1', 2, 'opportunity', '2026-05-03T06:00:00Z', '100.00'),
      transition('jrn-p1', 3, 'quoting', '2026-05-10T15:00:00Z', '100.00'),
      transition('jrn-p1', 4, 'quote_sent', '2026-05-10T20:00:00Z', '100.00'),
      transition('jrn-p2', 1, 'lead', '2026-05-05T00:00:00Z'),
      transition('jrn-p2', 2, 'opportunity', '2026-05-10T03:00:00Z', '50.00'),
    ]);
    const period = { from: at('2026-05-01T00:00:00Z'), to: at('2026-06-01T00:00:00Z'), currency: 'EUR' };
    // Ended before now: leads after 54 h (05-03, from the roll-up) and 123 h (today), an opportunity after 177 h (today).
    // The quoting stay that ends at 20:00 has not ended yet at 18:00.
    const expected = [
      { stage: 'lead', medianHours: 88.5, p90Hours: 116.1 },
      { stage: 'opportunity', medianHours: 177, p90Hours: 177 },
    ];
    expect((await kpiReport(db, { all: true }, period, undefined, now)).timeInStage).toEqual(expected);
    expect((await kpiReport(db, { all: false, owners: ['usr-a'] }, period, undefined, now)).timeInStage).toEqual(expected);
  });

  it('give the same report from the roll-ups as from the journeys one by one, whenever it is read', async () => {
    const { db } = t;
    await db('journeys').delete();
    const owners = ['usr-a', 'usr-b', 'usr-c'];
    const paths = [
      ['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment', 'invoicing', 'awaiting_payment', 'paid', 'closed'],
      ['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'opportunity', 'lost'],
      [
        'lead',
        'qualification',
        'opportunity',
        'quoting',
        'quote_sent',
        'ordering',
        'fulfilment',
        'invoicing',
        'awaiting_payment',
        'collections',
        'written_off',
      ],
      ['lead', 'qualification', 'nurture', 'lost'],
      ['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment', 'invoicing', 'awaiting_payment'],
      ['lead', 'qualification', 'opportunity'],
    ];
    // Lengths in milliseconds that rarely repeat (a prime walk), from January to June.
    let clock = 0;
    const step = () => (clock = (clock * 7_919 + 104_729) % 997_001) * 1_000 + (clock % 1_000);
    const rows = [];
    for (let i = 0; i < 60; i++) {
      const id = `jrn-r${i}`;
      await journey(db, id, owners[i % 3]!);
      let instant = Date.parse('2026-01-01T00:00:00Z') + i * 2.5 * 86_400_000 + step();
      const path = paths[i % paths.length]!;
      for (const [k, stage] of path.entries()) {
        rows.push(transition(id, k + 1, stage, new Date(instant).toISOString(), k >= 2 ? `${(i + 1) * 10 + k}.00` : null));
        instant += step() * (1 + (k % 4));
      }
    }
    // Half now, the rest late and out of order, some twice.
    await db('journey_transitions').insert(rows.filter((_, i) => i % 2 === 0));
    await db('journey_transitions').insert(rows.filter((_, i) => i % 2 === 1).reverse());
    await db('journey_transitions')
      .insert(rows.filter((_, i) => i % 7 === 1))
      .onConflict(['journey_id', 'seq'])
      .ignore();
    await db('journeys').where({ id: 'jrn-r7' }).delete();

    const everyone = { all: false as const, owners };
    const day = (iso: string) => at(`${iso}T00:00:00Z`);
    const cases = [
      { from: day('2026-01-01'), to: day('2027-01-01'), now: at('2026-04-17T13:37:12.345Z'), groupBy: 'month' as const },
      { from: day('2026-02-01'), to: day('2026-03-01'), now: at('2026-12-01T00:00:00Z'), groupBy: undefined },
      { from: day('2026-01-15'), to: day('2026-05-20'), now: at('2026-05-19T23:59:59.999Z'), groupBy: undefined },
      { from: day('2026-03-10'), to: day('2026-03-11'), now: at('2026-03-10T09:00:00Z'), groupBy: undefined },
      { from: day('2026-01-01'), to: day('2026-12-31'), now: at('2026-12-01T00:00:00Z'), groupBy: 'owner' as const },
    ];
    // Just after the last transition, on its day: the roll-ups hold that day whole.
    const last = ((await db('journey_transitions').max('at as at').first()) as { at: Date }).at;
    cases.push({ from: day('2026-01-01'), to: day('2027-01-01'), now: new Date(last.getTime() + 1), groupBy: 'month' as const });
    for (const c of cases) {
      const period = { from: c.from, to: c.to, currency: 'EUR' };
      const fromRollUps = await kpiReport(db, { all: true }, period, c.groupBy, c.now);
      expect(fromRollUps).toEqual(await kpiReport(db, everyone, period, c.groupBy, c.now));
      expect(fromRollUps.timeInStage.length).toBeGreaterThan(0);
    }

    // Percentiles from the 1% buckets, against percentile_cont over the stays themselves.
    const period = { from: day('2026-01-01'), to: day('2027-01-01'), currency: 'EUR' };
    const report = await kpiReport(db, { all: true }, period, undefined, at('2026-12-01T00:00:00Z'));
    const exact = (
      (await db.raw(`select to_stage as stage, percentile_cont(0.5) within group (order by extract(epoch from left_at - at) / 3600) as median
        from journey_transitions where left_at is not null group by to_stage`)) as { rows: { stage: string; median: number }[] }
    ).rows;
    expect(exact.length).toBe(report.timeInStage.length);
    for (const e of exact) {
      const approx = report.timeInStage.find((s) => s.stage === e.stage)!.medianHours;
      expect(Math.abs(approx - e.median)).toBeLessThanOrEqual(e.median * 0.01 + 0.005);
    }
  });

  it('move a journey to its new definition version when it is migrated', async () => {
    const { db } = t;
    await journey(db, 'jrn-v1');
    await db('journey_transitions').insert([
      transition('jrn-v1', 1, 'lead', '2026-06-01T00:00:00Z'),
      transition('jrn-v1', 2, 'opportunity', '2026-06-02T00:00:00Z', '80.00'),
    ]);
    const open = async (version: number) =>
      (
        (await db('stage_occupancy_daily')
          .where({ definition_version: version, stage: 'opportunity' })
          .sum({ journeys: 'journeys', amount: 'amount' })
          .first()) as { journeys: string | null; amount: string | null }
      ).journeys;
    const before = { v1: Number(await open(1)), v2: Number(await open(2)) };
    await db('journeys').where({ id: 'jrn-v1' }).update({ definition_version: 2 });
    expect({ v1: Number(await open(1)), v2: Number(await open(2)) }).toEqual({ v1: before.v1 - 1, v2: before.v2 + 1 });
    expect(await db('journey_milestones').where({ journey_id: 'jrn-v1' }).first('definition_version')).toEqual({ definition_version: 2 });
    // Deleted, it leaves neither version.
    await db('journeys').where({ id: 'jrn-v1' }).delete();
    expect({ v1: Number(await open(1)), v2: Number(await open(2)) }).toEqual({ v1: before.v1 - 1, v2: before.v2 });
  });

  it('are backfilled by the migration from the transitions written before it', async () => {
    const fresh = await createTestDatabase();
    try {
      const derived = ['0111_journey_milestones', '0119_report_rollups'];
      const source = {
        getMigrations: async () => Object.keys(migrations),
        getMigrationName: (name: string) => name,
        getMigration: async (name: string) => migrations[name]!,
      };
      for (const name of [...derived].reverse()) await fresh.db.migrate.down({ migrationSource: source, name });
      expect(await fresh.db.schema.hasTable('journey_milestones')).toBe(false);
      await journey(fresh.db, 'jrn-old');
      await fresh
        .db('journey_transitions')
        .insert([
          transition('jrn-old', 1, 'lead', '2026-01-01T00:00:00Z'),
          transition('jrn-old', 2, 'opportunity', '2026-01-01T18:00:00Z', '500.00'),
          transition('jrn-old', 3, 'lost', '2026-01-04T18:00:00Z', '450.00'),
        ]);
      expect(await migrateLatest(fresh.db)).toEqual(derived);
      expect(await rollUp(fresh.db)).toEqual([
        ['2026-01-01', 'lead', 18, 1],
        ['2026-01-04', 'opportunity', 72, 1],
      ]);
      expect(await fresh.db('journey_milestones').where({ journey_id: 'jrn-old' }).first()).toMatchObject({
        lost_at: at('2026-01-04T18:00:00Z'),
        lost_amount: '450.00',
        stage: 'lost',
        amount: '450.00',
      });
    } finally {
      await fresh.drop();
    }
  });
});
