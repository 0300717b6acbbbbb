// CSV lead import on real journeys: each row answers with its journey, its lead and the lead it
// duplicates; uploading the same rows again starts nothing and names the same ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLead, createHarness, eventually, newLead, type Harness } from './harness';

interface ImportAnswer {
  created: number;
  existing: number;
  invalid: number;
  failed: number;
  rows: { row: number; line: number; status: string; journeyId?: string; leadId?: string | null; duplicateOf?: string; errors?: { path: string }[] }[];
}

describe('CSV lead import', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const upload = async (csv: string): Promise<ImportAnswer> => {
    const response = await h.call('manager', 'POST', '/v1/leads/import?source=event', csv, { 'content-type': 'text/csv' });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ImportAnswer>();
  };
  const line = (l: Record<string, unknown>) => [l.name, l.email, l.company, l.country].map(String).join(',');
  const header = 'name,email,company,country';

  it('answers each row with its journey, lead and duplicateOf, and a re-upload starts nothing new', async () => {
    const known = newLead();
    const original = (await capturedLead(h, 'rep', known)).body as { leadId: string };
    const a = newLead();
    const b = newLead();
    // The same person as `known` (same email, any case), under another name.
    const again = { ...newLead(), email: (known.email as string).toUpperCase() };
    const csv = [header, line(a), line(b), line(again), 'Broken,not-an-email,X,Germany', line(a)].join('\n');

    const first = await upload(csv);
    expect(first).toMatchObject({ created: 3, existing: 1, invalid: 1, failed: 0 });
    expect(first.rows.map((r) => [r.row, r.status])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'created'],
      [4, 'invalid'],
      [5, 'existing'],
    ]);
    expect(first.rows[3]?.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['rows[4].email', 'rows[4].country']));
    // A row repeated in the file is the same journey.
    expect(first.rows[4]?.journeyId).toBe(first.rows[0]?.journeyId);

    const journeyIds = first.rows.slice(0, 3).map((r) => r.journeyId as string);
    expect(new Set(journeyIds).size).toBe(3);
    // Each journey's lead as capture recorded it.
    const leads = await eventually(async () => {
      const rows = (await h.deps.db('leads').whereIn('journey_id', journeyIds).select('id', 'journey_id', 'duplicate_of')) as {
        id: string;
        journey_id: string;
        duplicate_of: string | null;
      }[];
      expect(rows).toHaveLength(3);
      return new Map(rows.map((r) => [r.journey_id, r]));
    });
    for (const r of first.rows.slice(0, 3)) if (r.leadId !== null) expect(r.leadId).toBe(leads.get(r.journeyId as string)?.id);
    expect(leads.get(journeyIds[2] as string)?.duplicate_of).toBe(original.leadId);

    const journeysOf = async (people: Record<string, unknown>[]) =>
      Number(
        (
          await h.deps
            .db('journeys')
            .whereIn(
              'lead_email',
              people.map((p) => p.email as string),
            )
            .count('* as n')
            .first()
        )?.n,
      );
    expect(await journeysOf([a, b, again])).toBe(3);
    const second = await upload(csv);
    expect(second).toMatchObject({ created: 0, existing: 4, invalid: 1, failed: 0 });
    expect(second.rows.map((r) => r.journeyId)).toEqual(first.rows.map((r) => r.journeyId));
    expect(second.rows.slice(0, 3).map((r) => r.leadId)).toEqual(journeyIds.map((id) => leads.get(id)?.id));
    expect(second.rows[2]?.duplicateOf).toBe(original.leadId);
    expect(second.rows[0]?.duplicateOf).toBeUndefined();

    // The same rows in another file, in another order and beside a new one: only the new one starts.
    const c = newLead();
    const third = await upload([header, line(c), line(b), line(a)].join('\r\n'));
    expect(third.rows.map((r) => r.status)).toEqual(['created', 'existing', 'existing']);
    expect(third.rows.slice(1).map((r) => r.journeyId)).toEqual([journeyIds[1], journeyIds[0]]);

    expect(await journeysOf([a, b, again, c])).toBe(4);
    for (const person of [a, b]) {
      expect(await h.deps.db('leads').where({ email: person.email }).count('* as n')).toEqual([{ n: '1' }]);
    }
    await eventually(async () => expect(await h.deps.db('leads').where({ email: c.email }).count('* as n')).toEqual([{ n: '1' }]));
  });
});
