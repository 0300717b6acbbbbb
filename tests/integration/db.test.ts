import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

describe('PostgreSQL through knex', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('round-trips a journey projection row, keeping money exact', async () => {
    await t.db('journeys').insert({
      id: 'j-1',
      workflow_id: 'journey-j-1',
      definition_key: 'lead-to-cash',
      definition_version: 1,
      stage: 'quoting',
      status: 'awaiting_confirmation',
      stage_entered_at: new Date('2026-01-02T03:04:05Z'),
      amount: '1234567.89',
      currency: 'EUR',
    });
    const row = await t.db('journeys').where({ id: 'j-1' }).first();
    expect(row.stage).toBe('quoting');
    expect(row.amount).toBe('1234567.89');
    expect(new Date(row.stage_entered_at).toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('refuses a second journey with the same workflow id', async () => {
    const row = { workflow_id: 'journey-dup', definition_key: 'k', definition_version: 1, stage: 'lead', status: 'running', stage_entered_at: new Date() };
    await t.db('journeys').insert({ id: 'dup-1', ...row });
    await expect(t.db('journeys').insert({ id: 'dup-2', ...row })).rejects.toThrow(/unique/i);
  });

  it('keeps the audit trail unique per journey and sequence', async () => {
    const entry = { journey_id: 'j-1', seq: 1, at: new Date(), type: 'transition', stage: 'lead', event: 'CONFIRM' };
    await t.db('journey_audit').insert(entry);
    await expect(t.db('journey_audit').insert(entry)).rejects.toThrow(/unique/i);
    const count = await t.db('journey_audit').where({ journey_id: 'j-1' }).count<{ count: string }[]>('* as count');
    expect(count[0]?.count).toBe('1');
  });
});
