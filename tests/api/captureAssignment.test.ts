// The capture answer says where the lead went and by which rule, and whether the caller may open
// its journey: a rep capturing a lead routed to a colleague learns that instead of a dead link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, newLead, personas, type Harness, type Persona } from './harness';

interface Assignment {
  owner: { id: string; name: string | null } | null;
  team: string | null;
  rule: string | null;
  visibleToYou: boolean;
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ worker: true });
});
afterAll(async () => {
  await h.close();
});

/** A capture answered once capture settled (201): a 202 (capture still running under load) has no assignment yet, so try another lead. */
async function capture(as: Persona): Promise<{ journeyId: string; assignment?: Assignment }> {
  for (let attempt = 1; ; attempt++) {
    const response = await h.call(as, 'POST', '/v1/leads', newLead());
    expect([201, 202], response.body).toContain(response.statusCode);
    if (response.statusCode === 201) return response.json();
    expect(response.json<{ assignment?: unknown }>().assignment).toBeUndefined();
    if (attempt === 5) throw new Error('five captures in a row answered 202');
  }
}

describe('the capture answer', () => {
  it('names the owner, team and rule a lead went to, and that its journey is out of sight for another rep', async () => {
    // newLead is a large German company: the seeded rule-dach-enterprise routes it to usr-dach-1.
    const rule = (await h.deps.db('response_rules').where({ id: 'rule-dach-enterprise' }).first('name', 'team')) as { name: string; team: string };
    const owner = (await h.deps.db('users').where({ id: personas.rep.id }).first('name')) as { name: string };

    const byOther = await capture('otherRep');
    expect(byOther.assignment).toEqual({ owner: { id: personas.rep.id, name: owner.name }, team: rule.team, rule: rule.name, visibleToYou: false });
    expect((await h.call('otherRep', 'GET', `/v1/journeys/${byOther.journeyId}`)).statusCode).toBe(404);

    expect((await capture('rep')).assignment?.visibleToYou).toBe(true);
    expect((await capture('manager')).assignment?.visibleToYou).toBe(true);
  });
});
