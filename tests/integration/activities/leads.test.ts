import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countRows,
  createActivityTestbed,
  expectFailure,
  expectMailCount,
  leadInput,
  newJourneyId,
  NOW,
  uniqueEmail,
  type ActivityTestbed,
} from '../../helpers/activities';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

describe('captureLead', () => {
  it('creates account, contact and lead, and a second call with the same step changes nothing', async () => {
    const journeyId = newJourneyId();
    const lead = leadInput();
    const first = await t.acts.captureLead({ journeyId, step: 'lead.capture', input: { lead } });
    expect(first.duplicateOf).toBeNull();
    expect(first.requiredFieldsPresent).toBe(true);
    const row = await t.db('leads').where({ id: first.leadId }).first();
    expect(row).toMatchObject({
      journey_id: journeyId,
      account_id: first.accountId,
      contact_id: first.contactId,
      source: 'web_form',
      channel: 'online',
      product_interest: 'cameras',
    });

    const counts = { leads: await countRows(t.db, 'leads'), contacts: await countRows(t.db, 'contacts'), accounts: await countRows(t.db, 'accounts') };
    const again = await t.acts.captureLead({ journeyId, step: 'lead.capture', input: { lead } });
    expect(again).toEqual(first);
    expect({ leads: await countRows(t.db, 'leads'), contacts: await countRows(t.db, 'contacts'), accounts: await countRows(t.db, 'accounts') }).toEqual(counts);
  });

  it('reports missing required fields', async () => {
    const result = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 's',
      input: { lead: leadInput({ company: undefined, country: undefined }) as never },
    });
    expect(result.requiredFieldsPresent).toBe(false);
  });

  it('refuses bad input as InvalidInput, without retry', async () => {
    const failure = await expectFailure(
      t.acts.captureLead({ journeyId: newJourneyId(), step: 's', input: { lead: { ...leadInput(), email: 'not-an-email' } } }),
      'InvalidInput',
    );
    expect(failure.message).toContain('input.lead.email');
    await expectFailure(t.acts.captureLead({ journeyId: '', step: 's', input: { lead: leadInput() } }), 'InvalidInput');
  });

  it('refuses a step already used by another activity', async () => {
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId, step: 'one', input: { lead: leadInput() } });
    await expectFailure(t.acts.enrichProfile({ journeyId, step: 'one', input: { leadId } }), 'StepConflict');
  });
});

describe('dedupe and merge', () => {
  it('the same email in another case is the same person: merged into the original lead', async () => {
    const original = leadInput();
    const first = await t.acts.captureLead({ journeyId: newJourneyId(), step: 'lead.capture', input: { lead: original } });
    const second = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'lead.capture',
      input: { lead: { ...original, email: original.email.toUpperCase(), source: 'email' } },
    });
    expect(second.duplicateOf).toBe(first.leadId);
    expect(second.contactId).toBe(first.contactId);
    expect(second.accountId).toBe(first.accountId);
    expect(second.leadId).not.toBe(first.leadId);
    expect(await t.db('lead_merges').where({ lead_id: second.leadId }).first()).toMatchObject({ merged_into: first.leadId, matched_on: 'email' });
    // A third inquiry still points at the original, not at the second.
    const third = await t.acts.captureLead({ journeyId: newJourneyId(), step: 'lead.capture', input: { lead: original } });
    expect(third.duplicateOf).toBe(first.leadId);
  });

  it('phone numbers in different formats are the same person', async () => {
    const first = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ phone: '+49 (30) 5550-1234', country: 'DE' }) },
    });
    const national = await t.acts.captureLead({ journeyId: newJourneyId(), step: 'c', input: { lead: leadInput({ phone: '030 55501234', country: 'DE' }) } });
    const international = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ phone: '0049-30-5550 1234', country: undefined }) },
    });
    expect(national.duplicateOf).toBe(first.leadId);
    expect(international.duplicateOf).toBe(first.leadId);
    expect(await t.db('lead_merges').where({ lead_id: national.leadId }).first()).toMatchObject({ matched_on: 'phone' });
    expect((await t.db('contacts').where({ id: first.contactId }).first()).phone_normalized).toBe('+493055501234');
  });

  it('the same company domain is the same account; a colleague is a new contact, not a duplicate', async () => {
    const domain = `firm-${newJourneyId().slice(2, 10)}.example`;
    const first = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ name: 'Grace Hopper', email: uniqueEmail('grace', domain), company: 'Firm One' }) },
    });
    const colleague = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ name: 'Alan Turing', email: uniqueEmail('alan', domain), company: undefined }) },
    });
    expect(colleague.accountId).toBe(first.accountId);
    expect(colleague.contactId).not.toBe(first.contactId);
    expect(colleague.duplicateOf).toBeNull();
    // The same person writing from another address of the company is a duplicate (name at the same company).
    const again = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ name: 'grace  HOPPER', email: uniqueEmail('g.hopper', domain) }) },
    });
    expect(again.duplicateOf).toBe(first.leadId);
    expect(await t.db('lead_merges').where({ lead_id: again.leadId }).first()).toMatchObject({ matched_on: 'name_and_company' });
  });

  it('a similar company name (legal form, case, a typo) is the same account; a different name is not', async () => {
    const first = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ email: uniqueEmail('a', 'gmail.com'), company: 'Zentrix Systems GmbH' }) },
    });
    const typo = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ email: uniqueEmail('b', 'gmail.com'), company: 'ZENTRIX Sytems' }) },
    });
    const legal = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ email: uniqueEmail('c', 'gmail.com'), company: 'Zentrix Systems Inc.' }) },
    });
    const other = await t.acts.captureLead({
      journeyId: newJourneyId(),
      step: 'c',
      input: { lead: leadInput({ email: uniqueEmail('d', 'gmail.com'), company: 'Zenith Motors' }) },
    });
    expect(typo.accountId).toBe(first.accountId);
    expect(legal.accountId).toBe(first.accountId);
    expect(other.accountId).not.toBe(first.accountId);
    // Free-mail domains never make an account.
    expect((await t.db('accounts').where({ id: first.accountId }).first()).domain).toBeNull();
  });

  it('two simultaneous inquiries of one person make one contact and one original', async () => {
    const lead = leadInput();
    const results = await Promise.all([0, 1, 2, 3].map(() => t.acts.captureLead({ journeyId: newJourneyId(), step: 'c', input: { lead } })));
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    expect(results.filter((r) => r.duplicateOf === null)).toHaveLength(1);
  });
});

describe('enrichProfile', () => {
  it('fills size, industry and country from the company profile; what the lead said wins', async () => {
    const journeyId = newJourneyId();
    const { leadId, accountId } = await t.acts.captureLead({
      journeyId,
      step: 'c',
      input: { lead: leadInput({ email: uniqueEmail('p', 'globex.example'), company: 'Globex', companySize: undefined, country: undefined }) },
    });
    const result = await t.acts.enrichProfile({ journeyId, step: 'e', input: { leadId } });
    expect(result).toEqual({ companySize: 250, industry: 'Retail', country: 'FR' });
    expect(await t.db('accounts').where({ id: accountId }).first()).toMatchObject({
      company_size: 250,
      industry: 'Retail',
      country: 'FR',
      credit_limit: '20000.00',
    });
    expect(await t.acts.enrichProfile({ journeyId, step: 'e', input: { leadId } })).toEqual(result);

    const own = await t.acts.captureLead({
      journeyId,
      step: 'c2',
      input: { lead: leadInput({ email: uniqueEmail('q', 'globex.example'), companySize: 300, country: 'BE' }) },
    });
    expect(await t.acts.enrichProfile({ journeyId, step: 'e2', input: { leadId: own.leadId } })).toEqual({
      companySize: 300,
      industry: 'Retail',
      country: 'BE',
    });
  });

  it('leaves unknowns null without a profile, and refuses an unknown lead', async () => {
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId, step: 'c', input: { lead: leadInput({ companySize: undefined, country: undefined }) } });
    expect(await t.acts.enrichProfile({ journeyId, step: 'e', input: { leadId } })).toEqual({ companySize: null, industry: null, country: null });
    await expectFailure(t.acts.enrichProfile({ journeyId, step: 'x', input: { leadId: 'lead_missing' } }), 'NotFound');
    await expectFailure(t.acts.enrichProfile({ journeyId, step: 'y', input: { leadId: '' } }), 'InvalidInput');
  });
});

describe('assignLead', () => {
  async function captured(lead = leadInput()) {
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId, step: 'c', input: { lead } });
    await t.acts.enrichProfile({ journeyId, step: 'e', input: { leadId } });
    return { journeyId, leadId };
  }

  it('applies the first matching rule: a fixed owner for large German companies', async () => {
    const { journeyId, leadId } = await captured(leadInput({ country: 'DE', companySize: 5000 }));
    const result = await t.acts.assignLead({ journeyId, step: 'a', input: { leadId } });
    expect(result).toEqual({ ownerId: 'usr-dach-1', team: 'dach', rule: 'DACH enterprise' });
    expect(await t.db('leads').where({ id: leadId }).first()).toMatchObject({ owner_id: 'usr-dach-1', team: 'dach', rule_id: 'rule-dach-enterprise' });
  });

  it('rotates owners within a team, also under concurrency, and once per step', async () => {
    const leads = await Promise.all([0, 1, 2, 3, 4, 5].map(() => captured(leadInput({ country: 'FR', companySize: 20 }))));
    const results = await Promise.all(leads.map(({ journeyId, leadId }) => t.acts.assignLead({ journeyId, step: 'a', input: { leadId } })));
    expect(results.every((r) => r.team === 'west' && r.rule === 'West')).toBe(true);
    const owners = results.map((r) => r.ownerId);
    expect(owners.filter((o) => o === 'usr-west-1')).toHaveLength(3);
    expect(owners.filter((o) => o === 'usr-west-2')).toHaveLength(3);
    const [first] = leads;
    const before = await t.db('team_rotation').where({ team: 'west' }).first();
    expect(await t.acts.assignLead({ journeyId: first!.journeyId, step: 'a', input: { leadId: first!.leadId } })).toEqual(results[0]);
    expect(await t.db('team_rotation').where({ team: 'west' }).first()).toEqual(before);
  });

  it('matches country and company-size ranges', async () => {
    const { journeyId, leadId } = await captured(leadInput({ country: 'AT', companySize: 10 }));
    const result = await t.acts.assignLead({ journeyId, step: 'a', input: { leadId } });
    expect(result.team).toBe('dach');
    expect(result.rule).toBe('DACH Austria');
    expect(['usr-dach-1', 'usr-dach-2']).toContain(result.ownerId);
  });
});

describe('duplicates join the original', () => {
  const twin = () => leadInput({ email: uniqueEmail('twin', 'gmail.com'), country: 'FR', companySize: 20 });

  it('a duplicate assigned before its original takes the owner the original then keeps', async () => {
    const lead = twin();
    const original = { journeyId: newJourneyId() };
    const { leadId: originalId } = await t.acts.captureLead({ journeyId: original.journeyId, step: 'c', input: { lead } });
    const dupJourney = newJourneyId();
    const dup = await t.acts.captureLead({ journeyId: dupJourney, step: 'c', input: { lead } });
    expect(dup.duplicateOf).toBe(originalId);
    await t.acts.enrichProfile({ journeyId: dupJourney, step: 'e', input: { leadId: dup.leadId } });

    // The duplicate's journey is first: it routes the original (enriched first) and joins it.
    const joined = await t.acts.assignLead({ journeyId: dupJourney, step: 'a', input: { leadId: dup.leadId } });
    expect(joined).toMatchObject({ team: 'west', rule: 'West', ownerId: expect.stringMatching(/^usr-west-/) });
    const routed = await t.db('leads').where({ id: originalId }).first();
    expect(routed).toMatchObject({ owner_id: joined.ownerId, team: 'west', rule_id: 'rule-west', status: 'assigned' });
    expect(routed.enriched_at).not.toBeNull();

    // The original's own journey keeps that assignment: no second turn of the rotation.
    const rotation = await t.db('team_rotation').where({ team: 'west' }).first();
    expect(await t.acts.assignLead({ journeyId: original.journeyId, step: 'a', input: { leadId: originalId } })).toEqual(joined);
    expect(await t.db('team_rotation').where({ team: 'west' }).first()).toEqual(rotation);
    expect(await t.db('leads').where({ id: dup.leadId }).first()).toMatchObject({ owner_id: joined.ownerId, team: 'west', rule_id: 'rule-west' });
  });

  it('many simultaneous duplicates and their original all get one owner', async () => {
    const lead = twin();
    const captured = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const journeyId = newJourneyId();
        return { journeyId, ...(await t.acts.captureLead({ journeyId, step: 'c', input: { lead } })) };
      }),
    );
    const results = await Promise.all(captured.map((c) => t.acts.assignLead({ journeyId: c.journeyId, step: 'a', input: { leadId: c.leadId } })));
    expect(new Set(results.map((r) => r.ownerId)).size).toBe(1);
    expect(results[0]?.ownerId).toMatch(/^usr-west-/);
  });

  it("follows the original journey's current owner after a reassignment", async () => {
    const lead = twin();
    const originalJourney = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId: originalJourney, step: 'c', input: { lead } });
    await t.acts.assignLead({ journeyId: originalJourney, step: 'a', input: { leadId } });
    await t.db('journeys').insert({
      id: originalJourney,
      workflow_id: originalJourney,
      definition_key: 'lead-to-cash',
      definition_version: 1,
      stage: 'opportunity',
      status: 'waiting',
      stage_entered_at: NOW,
      owner_id: 'usr-dach-2',
      lead_name: lead.name,
      lead_email: lead.email,
      version: 1,
    });
    const dupJourney = newJourneyId();
    const dup = await t.acts.captureLead({ journeyId: dupJourney, step: 'c', input: { lead } });
    expect((await t.acts.assignLead({ journeyId: dupJourney, step: 'a', input: { leadId: dup.leadId } })).ownerId).toBe('usr-dach-2');
  });

  it("routes the duplicate by the rules when the original's owner has left", async () => {
    const lead = leadInput({ email: uniqueEmail('left'), country: 'DE', companySize: 5000 });
    const originalJourney = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId: originalJourney, step: 'c', input: { lead } });
    expect((await t.acts.assignLead({ journeyId: originalJourney, step: 'a', input: { leadId } })).ownerId).toBe('usr-dach-1');
    await t.db('leads').where({ id: leadId }).update({ owner_id: 'usr-west-2' });
    await t.db('users').where({ id: 'usr-west-2' }).update({ active: false });
    try {
      const dupJourney = newJourneyId();
      const dup = await t.acts.captureLead({ journeyId: dupJourney, step: 'c', input: { lead } });
      expect(await t.acts.assignLead({ journeyId: dupJourney, step: 'a', input: { leadId: dup.leadId } })).toEqual({
        ownerId: 'usr-dach-1',
        team: 'dach',
        rule: 'DACH enterprise',
      });
    } finally {
      await t.db('users').where({ id: 'usr-west-2' }).update({ active: true });
    }
  });
});

describe('sendAutoResponse', () => {
  it('emails the template of the product interest once, however often it is called', async () => {
    const lead = leadInput({ country: 'FR', productInterest: 'cameras' });
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId, step: 'c', input: { lead } });
    await t.acts.assignLead({ journeyId, step: 'a', input: { leadId } });
    const first = await t.acts.sendAutoResponse({ journeyId, step: 'r', input: { leadId } });
    expect(first.emailId).toMatch(/^email_/);
    expect(await t.acts.sendAutoResponse({ journeyId, step: 'r', input: { leadId } })).toEqual(first);
    const [mail] = await expectMailCount(lead.email, 1);
    expect(mail!.subject).toBe('Trial and login information for our cameras');
    expect(mail!.raw).toContain('text/html');
    expect(await t.db('email_outbox').where({ id: first.emailId }).first()).toMatchObject({ kind: 'auto_response', template_key: 'auto_response_cameras' });
    expect((await t.db('email_outbox').where({ id: first.emailId }).first()).sent_at).not.toBeNull();
  });

  it('uses the rule template, and does not answer a repeated inquiry twice a day', async () => {
    const lead = leadInput({ country: 'DE', companySize: 2000, productInterest: undefined });
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId, step: 'c', input: { lead } });
    await t.acts.assignLead({ journeyId, step: 'a', input: { leadId } });
    await t.acts.sendAutoResponse({ journeyId, step: 'r', input: { leadId } });
    const [mail] = await expectMailCount(lead.email, 1);
    expect(mail!.subject).toContain('your personal contact');
    expect(mail!.raw).toContain('Dieter Dach');

    const repeat = newJourneyId();
    const dup = await t.acts.captureLead({ journeyId: repeat, step: 'c', input: { lead } });
    expect(await t.acts.sendAutoResponse({ journeyId: repeat, step: 'r', input: { leadId: dup.leadId } })).toEqual({ emailId: null });
    await expectMailCount(lead.email, 1);
  });

  it('answers simultaneous twins once, whichever journey sends first', async () => {
    const lead = leadInput({ email: uniqueEmail('twins'), country: 'FR' });
    const captured = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const journeyId = newJourneyId();
        return { journeyId, ...(await t.acts.captureLead({ journeyId, step: 'c', input: { lead } })) };
      }),
    );
    // Duplicates first, the original last: the decision made at capture stands.
    const ordered = [...captured].sort((a, b) => Number(a.duplicateOf === null) - Number(b.duplicateOf === null));
    const sent = await Promise.all(ordered.map((c) => t.acts.sendAutoResponse({ journeyId: c.journeyId, step: 'r', input: { leadId: c.leadId } })));
    expect(sent.filter((r) => r.emailId !== null)).toHaveLength(1);
    expect(sent.at(-1)?.emailId).toMatch(/^email_/);
    await expectMailCount(lead.email, 1);
  });

  it('answers a repeat inquiry again after a day', async () => {
    let clock = NOW;
    const later = await createActivityTestbed({ now: () => clock });
    try {
      const lead = leadInput({ email: uniqueEmail('again'), country: 'FR' });
      const first = await later.acts.captureLead({ journeyId: newJourneyId(), step: 'c', input: { lead } });
      clock = new Date(NOW.getTime() + 25 * 3_600_000);
      const next = await later.acts.captureLead({ journeyId: newJourneyId(), step: 'c', input: { lead } });
      expect(next.duplicateOf).toBe(first.leadId);
      expect((await later.db('leads').where({ id: next.leadId }).first()).auto_response_at).toEqual(clock);
    } finally {
      await later.close();
    }
  });

  it('refuses an unknown lead and bad input', async () => {
    await expectFailure(t.acts.sendAutoResponse({ journeyId: newJourneyId(), step: 'r', input: { leadId: 'lead_nope' } }), 'NotFound');
    await expectFailure(t.acts.sendAutoResponse({ journeyId: newJourneyId(), step: 'r', input: {} as never }), 'InvalidInput');
  });
});

describe('scoreLead', () => {
  it('scores fit and engagement, grades against the thresholds and records why', async () => {
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({
      journeyId,
      step: 'c',
      input: { lead: leadInput({ email: uniqueEmail('s', 'acme.example'), source: 'referral', companySize: undefined, phone: '+49 30 1234567' }) },
    });
    await t.acts.enrichProfile({ journeyId, step: 'e', input: { leadId } });
    const result = await t.acts.scoreLead({ journeyId, step: 's', input: { leadId, mqlThreshold: 40, sqlThreshold: 70 } });
    // size 1200 (25) + DE served (10) + manufacturing (10) + business email (10) + phone (5) = 60
    expect(result.fit).toBe(60);
    // referral (15) + product interest (10) + message (5) = 30
    expect(result.engagement).toBe(30);
    expect(result).toMatchObject({ score: 90, grade: 'sql' });
    expect(await t.acts.scoreLead({ journeyId, step: 's', input: { leadId, mqlThreshold: 40, sqlThreshold: 70 } })).toEqual(result);
    expect(await countRows(t.db, 'lead_scores', { lead_id: leadId })).toBe(1);
    expect(await t.db('leads').where({ id: leadId }).first()).toMatchObject({ score: 90, grade: 'sql' });
  });

  it('grades mql and none', async () => {
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({
      journeyId,
      step: 'c',
      input: {
        lead: leadInput({
          email: uniqueEmail('x', 'gmail.com'),
          source: 'import',
          companySize: 5,
          productInterest: undefined,
          message: undefined,
          country: 'ZZ',
        }),
      },
    });
    const low = await t.acts.scoreLead({ journeyId, step: 's1', input: { leadId, mqlThreshold: 40, sqlThreshold: 70 } });
    expect(low).toEqual({ score: 6, fit: 3, engagement: 3, grade: 'none' });
    expect((await t.acts.scoreLead({ journeyId, step: 's2', input: { leadId, mqlThreshold: 5, sqlThreshold: 70 } })).grade).toBe('mql');
    await expectFailure(t.acts.scoreLead({ journeyId, step: 's3', input: { leadId, mqlThreshold: 'x', sqlThreshold: 70 } as never }), 'InvalidInput');
  });
});

describe('createFollowUpTask', () => {
  it('creates the opportunity once and a task for the owner per step', async () => {
    const journeyId = newJourneyId();
    const { leadId, accountId } = await t.acts.captureLead({ journeyId, step: 'c', input: { lead: leadInput() } });
    const first = await t.acts.createFollowUpTask({ journeyId, step: 'o', input: { leadId, ownerId: 'usr-west-1' } });
    expect(await t.acts.createFollowUpTask({ journeyId, step: 'o', input: { leadId, ownerId: 'usr-west-1' } })).toEqual(first);
    expect(await countRows(t.db, 'follow_up_tasks', { opportunity_id: first.opportunityId })).toBe(1);
    const opportunity = await t.db('opportunities').where({ id: first.opportunityId }).first();
    expect(opportunity).toMatchObject({ lead_id: leadId, account_id: accountId, owner_id: 'usr-west-1', status: 'open' });
    const task = await t.db('follow_up_tasks').where({ id: first.taskId }).first();
    expect(task.owner_id).toBe('usr-west-1');
    expect(new Date(task.due_at).toISOString()).toBe('2026-03-12T09:00:00.000Z');

    const later = await t.acts.createFollowUpTask({ journeyId, step: 'o2', input: { leadId, ownerId: null } });
    expect(later.opportunityId).toBe(first.opportunityId);
    expect(later.taskId).not.toBe(first.taskId);
  });

  it('refuses an unknown lead or owner', async () => {
    const journeyId = newJourneyId();
    const { leadId } = await t.acts.captureLead({ journeyId, step: 'c', input: { lead: leadInput() } });
    await expectFailure(t.acts.createFollowUpTask({ journeyId, step: 'o', input: { leadId: 'lead_nope', ownerId: null } }), 'NotFound');
    await expectFailure(t.acts.createFollowUpTask({ journeyId, step: 'o2', input: { leadId, ownerId: 'usr-nobody' } }), 'NotFound');
    await expectFailure(t.acts.createFollowUpTask({ journeyId, step: 'o3', input: { leadId } as never }), 'InvalidInput');
  });
});
