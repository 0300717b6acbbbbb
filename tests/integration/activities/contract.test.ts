import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDuration } from '../../../machines/duration';
import { formatCents, percentOf, toCents } from '../../../db/money';
import { migrateLatest } from '../../../db/migrate';
import { migrations } from '../../../db/migrations/index';
import { seedDemo } from '../../../db/seed/demo';
import { activityNames } from '../../../machines/schema/activityCatalogue';
import { createTestDatabase } from '../../helpers/db';
import { countRows, createActivityTestbed, expectFailure, newJourneyId, type ActivityTestbed } from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

describe('the activity catalogue', () => {
  it('is implemented in full, with the projection writer and the outbox sweeper', () => {
    for (const name of activityNames) expect(typeof t.acts[name], name).toBe('function');
    expect(typeof t.acts.recordJourney).toBe('function');
    expect(typeof t.acts.deliverOutbox).toBe('function');
  });

  it.each(activityNames)('%s refuses input that does not match its schema, without retry', async (name) => {
    const run = t.acts[name] as (call: unknown) => Promise<unknown>;
    const failure = await expectFailure(run({ journeyId: newJourneyId(), step: 'bad', input: { unexpected: true } }), 'InvalidInput');
    expect(failure.details?.[0]).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^input/) })]) });
    await expectFailure(run({ journeyId: newJourneyId(), step: '', input: {} }), 'InvalidInput');
    expect(await countRows(t.db, 'activity_results', { step: 'bad' })).toBe(0);
  });
});

describe('money and dates', () => {
  it('rounds half-up to the cent, away from zero', () => {
    expect(toCents('10.005')).toBe(1001n);
    expect(toCents('10.0049')).toBe(1000n);
    expect(toCents('-10.005')).toBe(-1001n);
    expect(toCents('7')).toBe(700n);
    expect(formatCents(-5n)).toBe('-0.05');
    expect(percentOf(26700n, 12.5)).toBe(3338n);
    expect(percentOf(23362n, '19.0000')).toBe(4439n);
    expect(() => toCents('1e3')).toThrow();
  });

  it('adds ISO-8601 durations on the UTC calendar', () => {
    const jan31 = new Date('2026-01-31T10:00:00Z');
    expect(addDuration(jan31, 'P1M').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration(jan31, 'P30D').toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(addDuration(jan31, 'PT30S').toISOString()).toBe('2026-01-31T10:00:30.000Z');
    expect(addDuration(jan31, 'P1Y2M3W4DT5H6M7.5S').toISOString()).toBe('2027-04-25T15:06:07.500Z');
    expect(() => addDuration(jan31, 'P')).toThrow();
  });
});

describe('demo seed', () => {
  it('runs again without duplicating or overwriting what ops changed', async () => {
    await t.db('response_rules').where({ id: 'rule-west' }).update({ team: 'west-edited' });
    const before = await Promise.all(
      ['users', 'products', 'price_book', 'stock', 'tax_rates', 'company_profiles', 'response_rules', 'email_templates'].map((table) => countRows(t.db, table)),
    );
    await seedDemo(t.db);
    await seedDemo(t.db);
    expect(
      await Promise.all(
        ['users', 'products', 'price_book', 'stock', 'tax_rates', 'company_profiles', 'response_rules', 'email_templates'].map((table) =>
          countRows(t.db, table),
        ),
      ),
    ).toEqual(before);
    expect((await t.db('response_rules').where({ id: 'rule-west' }).first()).team).toBe('west-edited');
    await t.db('response_rules').where({ id: 'rule-west' }).update({ team: 'west' });
  });

  it('has a short product, so purchase orders happen, and tax rates for the demo countries', async () => {
    expect(await t.db('stock').where({ sku: 'CAM-100' }).first()).toMatchObject({ on_hand: 5, reserved: 0 });
    const rates = Object.fromEntries(
      ((await t.db('tax_rates').whereIn('country', ['DE', 'FR', 'NL', 'GB', 'US'])) as { country: string; rate_pct: string }[]).map((r) => [
        r.country,
        r.rate_pct,
      ]),
    );
    expect(rates).toEqual({ DE: '19.0000', FR: '20.0000', NL: '21.0000', GB: '20.0000', US: '0.0000' });
    expect((await t.db('users').where({ id: 'usr-dach-1' }).first()).manager_id).toBe('usr-manager');
  });
});

describe('migrations', () => {
  it('roll all the way back and forward again', async () => {
    const fresh = await createTestDatabase();
    try {
      const source = {
        getMigrations: async () => Object.keys(migrations),
        getMigrationName: (name: string) => name,
        getMigration: async (name: string) => migrations[name]!,
      };
      await fresh.db.migrate.rollback({ migrationSource: source }, true);
      expect(await fresh.db.schema.hasTable('invoices')).toBe(false);
      expect(await migrateLatest(fresh.db)).toEqual(Object.keys(migrations));
      await seedDemo(fresh.db);
      expect(await countRows(fresh.db, 'products')).toBe(7);
    } finally {
      await fresh.drop();
    }
  });
});
