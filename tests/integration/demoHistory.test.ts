// The demo history `npm start` writes: a few hundred journeys over the past year as projection
// rows, audit and stage transitions that agree with each other, written once into an empty
// database only, and never by the demo seed the tests use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiReport } from '../../api/reports/kpis';
import { seedDemo } from '../../db/seed/demo';
import { seedDemoHistory } from '../../db/seed/demoHistory';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

const NOW = new Date('2026-07-01T12:00:00Z');
const YEAR_AGO = new Date(NOW.getTime() - 365 * 86_400_000);

describe('demo history', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDemo(t.db);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('is not part of the demo seed', async () => {
    expect(await t.db('journeys').count<{ count: string }[]>('* as count')).toEqual([{ count: '0' }]);
  });

  it('writes a year of journeys whose projection, audit and transitions agree', async () => {
    expect(await seedDemoHistory(t.db, { now: NOW })).toBe(300);
    const journeys = (await t.db('journeys').select('id', 'stage', 'status', 'amount', 'owner_id')) as {
      id: string;
      stage: string;
      status: string;
      amount: string | null;
      owner_id: string;
    }[];
    expect(journeys).toHaveLength(300);
    const transitions = (await t.db('journey_transitions').orderBy(['journey_id', 'seq'])) as {
      journey_id: string;
      seq: number;
      at: Date;
      from_stage: string | null;
      to_stage: string;
      amount: string | null;
    }[];
    const byJourney = new Map<string, typeof transitions>();
    for (const r of transitions) byJourney.set(r.journey_id, [...(byJourney.get(r.journey_id) ?? []), r]);
    for (const j of journeys) {
      const steps = byJourney.get(j.id)!;
      expect(steps[0]).toMatchObject({ seq: 1, from_stage: null, to_stage: 'lead' });
      expect(steps.at(-1)).toMatchObject({ to_stage: j.stage, amount: j.amount });
      for (let i = 1; i < steps.length; i++) {
        expect(steps[i]!.from_stage).toBe(steps[i - 1]!.to_stage);
        expect(steps[i]!.at.getTime()).toBeGreaterThanOrEqual(steps[i - 1]!.at.getTime());
      }
      expect(steps[0]!.at.getTime()).toBeGreaterThanOrEqual(YEAR_AGO.getTime());
      expect(steps.at(-1)!.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(await t.db('journey_audit').count<{ count: string }[]>('* as count')).toEqual([{ count: String(transitions.length) }]);
    // Every outcome and the open stages the reports show are there.
    const stages = new Set(journeys.map((j) => j.stage));
    for (const stage of ['closed', 'lost', 'disqualified', 'opportunity', 'awaiting_payment']) expect(stages).toContain(stage);
    expect(new Set(journeys.map((j) => j.owner_id)).size).toBe(4);
  });

  it('gives every KPI something to show', async () => {
    // A report period is whole days: the year up to today, read at noon.
    const report = await kpiReport(
      t.db,
      { all: true },
      { from: new Date('2025-07-02T00:00:00Z'), to: new Date('2026-07-02T00:00:00Z'), currency: 'EUR' },
      undefined,
      NOW,
    );
    expect(report.pipeline.byStage.length).toBeGreaterThan(3);
    expect(Number(report.pipeline.weighted.amount)).toBeGreaterThan(0);
    expect(report.winRate.count).toBeGreaterThan(0.3);
    expect(report.winRate.count).toBeLessThan(1);
    expect(report.conversion.every((c) => c.rate !== null && c.rate > 0 && c.rate < 1)).toBe(true);
    expect(report.cycleTimeDays.median).toBeGreaterThan(10);
    expect(report.timeInStage.length).toBeGreaterThan(6);
    expect(report.receivables.dsoDays).toBeGreaterThan(0);
    expect(report.orderToCashDays.median).toBeGreaterThan(0);
  });

  it('is written once, and never into a database that holds journeys', async () => {
    expect(await seedDemoHistory(t.db, { now: NOW })).toBe(0);
    expect(await t.db('journeys').count<{ count: string }[]>('* as count')).toEqual([{ count: '300' }]);
  });
});
