// Duplicates join the original on the real stack: many simultaneous POST /v1/leads for one person
// make one original, every other lead points at it and has its owner, and one auto-response
// reaches the person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMailCount } from '../helpers/activities';
import { outboxDrained } from '../helpers/outbox';
import { createHarness, eventually, newLead, settledIn, type Harness, type Persona } from './harness';

describe('duplicate leads arriving at the same moment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  /**
   * POST /v1/leads as a careful client: on 503 (the journey did not answer within the API's
   * deadline, likely on a loaded machine) it sends again with the same Idempotency-Key, which
   * names the same journey.
   */
  async function capture(as: Persona, lead: Record<string, unknown>, key: string) {
    for (let attempt = 1; ; attempt++) {
      const response = await h.call(as, 'POST', '/v1/leads', lead, { 'idempotency-key': `${key}-${String(lead.email)}` });
      if (response.statusCode !== 503 || attempt === 4) return response;
    }
  }

  /** Each journey's lead once capture has written it: its id and the original it duplicates. */
  async function capturedLeads(journeyIds: string[]): Promise<{ journeyId: string; leadId: string; duplicateOf?: string }[]> {
    const rows = await eventually(async () => {
      const found = (await h.deps.db('leads').whereIn('journey_id', journeyIds).select('id', 'journey_id', 'duplicate_of')) as {
        id: string;
        journey_id: string;
        duplicate_of: string | null;
      }[];
      expect(found).toHaveLength(journeyIds.length);
      return found;
    }, 90_000);
    return journeyIds.map((journeyId) => {
      const row = rows.find((r) => r.journey_id === journeyId)!;
      return { journeyId, leadId: row.id, ...(row.duplicate_of ? { duplicateOf: row.duplicate_of } : {}) };
    });
  }

  it('50 leads with one email: one original, 49 duplicates of it with its owner, one auto-response', async () => {
    // France, 20 people: the West rule, whose two reps take turns, so a split would show.
    const lead = newLead({ country: 'FR', companySize: 20 });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        capture(i % 2 ? 'rep' : 'manager', { ...lead, email: i % 3 ? lead.email : String(lead.email).toUpperCase() }, `twin-${i}`),
      ),
    );
    // 201 once capture settled, 202 while it still runs: the lead rows say which is the original.
    for (const r of responses) expect([201, 202], r.body).toContain(r.statusCode);
    const created = await capturedLeads(responses.map((r) => r.json<{ journeyId: string }>().journeyId));

    const originals = created.filter((c) => c.duplicateOf === undefined);
    expect(originals).toHaveLength(1);
    const original = originals[0]!;
    expect(created.filter((c) => c.duplicateOf === original.leadId)).toHaveLength(49);

    // Every journey has run its lead stage's activities: duplicates wait for a rep, the original moved on.
    await Promise.all(created.map((c) => settledIn(h, c.journeyId, c.duplicateOf ? ['lead'] : ['qualification', 'opportunity'], 90_000)));
    const leads = (await h.deps.db('leads').whereIn(
      'id',
      created.map((c) => c.leadId),
    )) as { id: string; duplicate_of: string | null; owner_id: string | null; team: string | null }[];
    const originalRow = leads.find((l) => l.id === original.leadId);
    expect(originalRow).toMatchObject({ duplicate_of: null, team: 'west', owner_id: expect.stringMatching(/^usr-west-/) });
    for (const l of leads.filter((x) => x.id !== original.leadId)) {
      expect(l, l.id).toMatchObject({ duplicate_of: original.leadId, owner_id: originalRow?.owner_id, team: 'west' });
    }

    // The journeys show that owner too (the projection follows by an activity).
    await eventually(async () => {
      const owners = await h.deps
        .db('journeys')
        .whereIn(
          'id',
          created.map((c) => c.journeyId),
        )
        .distinct('owner_id');
      expect(owners).toEqual([{ owner_id: originalRow?.owner_id }]);
    }, 30_000);

    await outboxDrained(
      h.deps.db,
      created.map((c) => c.journeyId),
    );
    expect(
      await h.deps
        .db('email_outbox')
        .where({ kind: 'auto_response' })
        .whereIn(
          'journey_id',
          created.map((c) => c.journeyId),
        )
        .count('* as n'),
    ).toEqual([{ n: '1' }]);
    await expectMailCount(String(lead.email), 1);
  }, 180_000);

  it('a later duplicate takes the owner the original was reassigned to, and gets no second thank-you', async () => {
    const lead = newLead({ country: 'FR', companySize: 20 });
    const [first] = await capturedLeads([(await h.call('rep', 'POST', '/v1/leads', lead)).json<{ journeyId: string }>().journeyId]);
    if (!first) throw new Error('no lead captured');
    await settledIn(h, first.journeyId, ['qualification', 'opportunity'], 90_000);
    // Another team's rep: routing by the rules alone would never pick them.
    const other = 'usr-dach-2';
    const reassigned = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'reassign', journeyIds: [first.journeyId], ownerId: other });
    expect(reassigned.json().results[0], reassigned.body).toMatchObject({ ok: true, ownerId: other });
    await eventually(async () => expect(await h.deps.db('journeys').where({ id: first.journeyId }).first('owner_id')).toEqual({ owner_id: other }));

    const again = await h.call('rep', 'POST', '/v1/leads', { ...lead, source: 'email' });
    expect([201, 202], again.body).toContain(again.statusCode);
    const [dup] = await capturedLeads([again.json<{ journeyId: string }>().journeyId]);
    expect(dup?.duplicateOf).toBe(first.leadId);
    if (!dup) throw new Error('no duplicate captured');
    await settledIn(h, dup.journeyId, ['lead'], 90_000);
    expect(await h.deps.db('leads').where({ id: dup.leadId }).first()).toMatchObject({ owner_id: other, team: 'west' });
    await outboxDrained(h.deps.db, [first.journeyId, dup.journeyId]);
    await expectMailCount(String(lead.email), 1);
  }, 120_000);
});
