// The stage-transition history reports read: written by recordJourney from the audit in the same
// transaction, never twice for a replayed write, and backfilled by its migration from older audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyRecordActivities, type JourneyRecord } from '../../activities/journeyRecord';
import { migrations } from '../../db/migrations/index';
import { migrateLatest } from '../../db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const record = (over: Partial<JourneyRecord>): JourneyRecord => ({
  journeyId: 'jrn-t1',
  workflowId: 'journey-jrn-t1',
  definition: { key: 'lead-to-cash', version: 1 },
  version: 1,
  stage: 'lead',
  status: 'running',
  stageEnteredAt: '2026-03-01T09:00:00.000Z',
  ownerId: 'usr-dach-1',
  lead: { name: 'Ada', email: 'ada@example.com', company: null },
  amount: null,
  pending: null,
  parked: null,
  slaDueAt: null,
  audit: [],
  ...over,
});

type Row = { journey_id: string; seq: number; at: Date; from_stage: string | null; to_stage: string; amount: string | null; currency: string | null };
const transitionsOf = async (t: TestDatabase, journeyId: string) =>
  ((await t.db('journey_transitions').where({ journey_id: journeyId }).orderBy('seq')) as Row[]).map((r) => ({
    seq: r.seq,
    at: r.at.toISOString(),
    from: r.from_stage,
    to: r.to_stage,
    amount: r.amount,
    currency: r.currency,
  }));

describe('stage transitions', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('are written from the audit with the amount of the record, once however often it is replayed', async () => {
    const { recordJourney } = journeyRecordActivities({ db: t.db });
    await recordJourney(
      record({ audit: [{ seq: 1, at: '2026-03-01T09:00:00.000Z', type: 'started', stage: 'lead', detail: { definition: 'lead-to-cash@1' } }] }),
    );
    const quoted = record({
      version: 2,
      stage: 'quote_sent',
      amount: { amount: '1190.00', currency: 'EUR' },
      audit: [
        { seq: 2, at: '2026-03-02T10:00:00.000Z', type: 'confirmation', stage: 'quoting', detail: { decision: 'approve', auto: true } },
        { seq: 3, at: '2026-03-02T10:00:00.000Z', type: 'transition', stage: 'quote_sent', event: 'CONFIRM', detail: { from: 'quoting', to: 'quote_sent' } },
        { seq: 4, at: '2026-03-02T10:05:00.000Z', type: 'activity', stage: 'quote_sent', detail: { activity: 'sendQuote' } },
      ],
    });
    await recordJourney(quoted);
    await recordJourney(quoted);
    expect(await transitionsOf(t, 'jrn-t1')).toEqual([
      { seq: 1, at: '2026-03-01T09:00:00.000Z', from: null, to: 'lead', amount: null, currency: null },
      { seq: 3, at: '2026-03-02T10:00:00.000Z', from: 'quoting', to: 'quote_sent', amount: '1190.00', currency: 'EUR' },
    ]);
  });

  it("are backfilled by the migration from the audit written before it, with the journey's amount", async () => {
    const fresh = await createTestDatabase();
    try {
      const last = '0110_stage_transitions';
      const source = {
        getMigrations: async () => Object.keys(migrations),
        getMigrationName: (name: string) => name,
        getMigration: async (name: string) => migrations[name]!,
      };
      await fresh.db.migrate.down({ migrationSource: source, name: last });
      expect(await fresh.db.schema.hasTable('journey_transitions')).toBe(false);
      await fresh.db('journeys').insert({
        id: 'jrn-old',
        workflow_id: 'journey-jrn-old',
        definition_key: 'lead-to-cash',
        definition_version: 1,
        stage: 'opportunity',
        status: 'awaiting_confirmation',
        stage_entered_at: new Date('2026-01-03T00:00:00Z'),
        amount: '500.00',
        currency: 'EUR',
      });
      await fresh.db('journey_audit').insert([
        { journey_id: 'jrn-old', seq: 1, at: new Date('2026-01-01T00:00:00Z'), type: 'started', stage: 'lead', detail: '{}' },
        {
          journey_id: 'jrn-old',
          seq: 2,
          at: new Date('2026-01-02T00:00:00Z'),
          type: 'transition',
          stage: 'qualification',
          event: 'CONFIRM',
          detail: JSON.stringify({ from: 'lead', to: 'qualification' }),
        },
        { journey_id: 'jrn-old', seq: 3, at: new Date('2026-01-02T00:00:00Z'), type: 'confirmation', stage: 'qualification', detail: '{}' },
        {
          journey_id: 'jrn-old',
          seq: 4,
          at: new Date('2026-01-03T00:00:00Z'),
          type: 'transition',
          stage: 'opportunity',
          event: 'QUALIFY',
          detail: JSON.stringify({ from: 'qualification', to: 'opportunity' }),
        },
      ]);
      expect(await migrateLatest(fresh.db)).toEqual([last]);
      expect(await transitionsOf(fresh, 'jrn-old')).toEqual([
        { seq: 1, at: '2026-01-01T00:00:00.000Z', from: null, to: 'lead', amount: '500.00', currency: 'EUR' },
        { seq: 2, at: '2026-01-02T00:00:00.000Z', from: 'lead', to: 'qualification', amount: '500.00', currency: 'EUR' },
        { seq: 4, at: '2026-01-03T00:00:00.000Z', from: 'qualification', to: 'opportunity', amount: '500.00', currency: 'EUR' },
      ]);
    } finally {
      await fresh.drop();
    }
  });
});
