// Response rules edited by ops (DESIGN.md section 3, stage `lead`): a saved list routes the next
// captured lead; every save is a version with who and when; an edit made on an old version is 409;
// an identical save changes nothing; what cannot hold is refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLead, createHarness, eventually, newLead, type Harness } from './harness';

interface Rule {
  name: string;
  when: Record<string, unknown>;
  team?: string;
  ownerId?: string;
  templateKey?: string;
}
interface RulesAnswer {
  rules: Rule[];
  version: number;
  savedBy: string | null;
  savedAt: string | null;
}

describe('response rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  const current = async () => (await h.call('ops', 'GET', '/v1/response-rules')).json<RulesAnswer>();
  /** The owner and team the captured lead's journey was routed to. */
  async function routed(lead: Record<string, unknown>): Promise<{ owner_id: string | null; team: string | null }> {
    const captured = await capturedLead(h, 'rep', newLead(lead));
    expect(captured.statusCode, JSON.stringify(captured.body)).toBe(201);
    return eventually(async () => {
      const row = (await h.deps.db('leads').where({ journey_id: captured.body.journeyId }).first('owner_id', 'team', 'assigned_at')) as
        { owner_id: string | null; team: string | null; assigned_at: Date | null } | undefined;
      expect(row?.assigned_at).toBeTruthy();
      return { owner_id: row!.owner_id, team: row!.team };
    });
  }

  it('answers the seeded rules in order as version 0, also to sales managers', async () => {
    const seeded = await current();
    expect(seeded.version).toBe(0);
    expect(seeded.savedBy).toBeNull();
    expect(seeded.rules.map((r) => r.name)).toEqual(['DACH enterprise', 'DACH Germany', 'DACH Austria', 'DACH Switzerland', 'West']);
    expect(seeded.rules[0]).toEqual({
      name: 'DACH enterprise',
      when: { country: 'DE', minCompanySize: 1000 },
      team: 'dach',
      ownerId: 'usr-dach-1',
      templateKey: 'auto_response_enterprise',
    });
    const asManager = await h.call('manager', 'GET', '/v1/response-rules');
    expect(asManager.statusCode).toBe(200);
    expect(asManager.headers.etag).toBe('"0"');
  });

  it('routes the next captured lead by the rules just saved', async () => {
    const before = await routed({ country: 'FR', companySize: 50 });
    expect(before.team).toBe('west');
    expect(['usr-west-1', 'usr-west-2']).toContain(before.owner_id);

    const seeded = await current();
    const rules: Rule[] = [{ name: 'France to Doris', when: { country: 'FR', maxCompanySize: 100 }, team: 'dach', ownerId: 'usr-dach-2' }, ...seeded.rules];
    const saved = await h.call('ops', 'PUT', '/v1/response-rules', { rules, expectedVersion: seeded.version });
    expect(saved.statusCode, saved.body).toBe(200);
    const body = saved.json<RulesAnswer>();
    expect(body).toMatchObject({ version: 1, savedBy: 'usr-ops' });
    expect(body.rules[0]).toEqual(rules[0]);
    expect(saved.headers.etag).toBe('"1"');

    expect(await routed({ country: 'FR', companySize: 50 })).toEqual({ owner_id: 'usr-dach-2', team: 'dach' });
    // A lead the new rule's conditions leave out still goes west.
    expect((await routed({ country: 'FR', companySize: 500 })).team).toBe('west');
    expect((await current()).rules.map((r) => r.name)).toEqual(['France to Doris', ...seeded.rules.map((r) => r.name)]);
  });

  it('changes nothing on a save identical to the current list, even one made on an older version', async () => {
    const now = await current();
    const versions = async () => Number((await h.deps.db('response_rule_versions').count('* as n').first())?.n);
    const count = await versions();
    for (const expectedVersion of [now.version, now.version - 1, undefined]) {
      const again = await h.call('ops', 'PUT', '/v1/response-rules', { rules: now.rules, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<RulesAnswer>()).toEqual(now);
    }
    expect(await versions()).toBe(count);

    // A blank product interest means any, as an absent one: the same list as the current one.
    expect(now.rules[0]!.when).not.toHaveProperty('productInterest');
    const blank = [{ ...now.rules[0]!, when: { ...now.rules[0]!.when, productInterest: '  ' } }, ...now.rules.slice(1)];
    const same = await h.call('ops', 'PUT', '/v1/response-rules', { rules: blank, expectedVersion: now.version });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json<RulesAnswer>()).toEqual(now);
    expect(await versions()).toBe(count);
  });

  it('refuses an edit made on a version that is no longer current, by body or If-Match', async () => {
    const now = await current();
    const edited = now.rules.filter((r) => r.name !== 'DACH Switzerland');
    const stale = await h.call('ops', 'PUT', '/v1/response-rules', { rules: edited, expectedVersion: now.version - 1 });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale_version', details: { expectedVersion: now.version - 1, currentVersion: now.version } });
    const staleHeader = await h.call('ops', 'PUT', '/v1/response-rules', { rules: edited }, { 'if-match': `"${now.version - 1}"` });
    expect(staleHeader.statusCode, staleHeader.body).toBe(409);
    expect((await current()).version).toBe(now.version);

    const fresh = await h.call('admin', 'PUT', '/v1/response-rules', { rules: edited }, { 'if-match': `"${now.version}"` });
    expect(fresh.statusCode, fresh.body).toBe(200);
    expect(fresh.json<RulesAnswer>()).toMatchObject({ version: now.version + 1, savedBy: 'usr-admin' });
    expect((await current()).rules.map((r) => r.name)).not.toContain('DACH Switzerland');
  });

  it('refuses rules that cannot hold, naming each field, and saves nothing', async () => {
    const before = await current();
    const refused = await h.call('ops', 'PUT', '/v1/response-rules', {
      rules: [
        { name: 'Nowhere', when: { country: 'IT' }, team: 'atlantis' },
        { name: 'Warehouse owner', when: {}, ownerId: 'usr-warehouse' },
        { name: 'Ghost', when: {}, ownerId: 'usr-nobody' },
        { name: 'Upside down', when: { minCompanySize: 500, maxCompanySize: 10 }, team: 'west' },
        { name: 'nowhere', when: {}, team: 'west', templateKey: 'no_such_template' },
        { name: 'Unrouted', when: {} },
      ],
    });
    expect(refused.statusCode, refused.body).toBe(422);
    const error = refused.json<{ error: { code: string; details: { issues: { path: string; message: string }[] } } }>().error;
    expect(error.code).toBe('invalid_rules');
    const byPath = Object.fromEntries(error.details.issues.map((i) => [i.path, i.message]));
    expect(byPath['body.rules.0.team']).toMatch(/atlantis.*known teams: dach, west/);
    expect(byPath['body.rules.1.ownerId']).toMatch(/neither sales_rep nor sales_manager/);
    expect(byPath['body.rules.2.ownerId']).toMatch(/no user usr-nobody/);
    expect(byPath['body.rules.3.when.maxCompanySize']).toMatch(/minCompanySize/);
    expect(byPath['body.rules.4.name']).toMatch(/already the name of rule 0/);
    expect(byPath['body.rules.4.templateKey']).toMatch(/no_such_template.*auto_response_enterprise/);
    expect(byPath['body.rules.5.team']).toMatch(/team or an owner/);

    // Shapes the document states are 400 with the path.
    for (const [rule, path] of [
      [{ name: 'Bad country', when: { country: 'france' }, team: 'west' }, 'body.rules.0.when.country'],
      [{ name: 'Bad size', when: { minCompanySize: 0 }, team: 'west' }, 'body.rules.0.when.minCompanySize'],
      [{ name: '  ', when: {}, team: 'west' }, 'body.rules.0.name'],
      [{ name: 'Unknown condition', when: { industry: 'Pharma' }, team: 'west' }, 'body.rules.0.when'],
    ] as const) {
      const invalid = await h.call('ops', 'PUT', '/v1/response-rules', { rules: [rule] });
      expect(invalid.statusCode, invalid.body).toBe(400);
      expect(JSON.stringify(invalid.json().error.details), path).toContain(path);
    }
    const badTag = await h.call('ops', 'PUT', '/v1/response-rules', { rules: [] }, { 'if-match': 'yesterday' });
    expect(badTag.statusCode).toBe(400);
    expect(await current()).toEqual(before);
  });

  it('is edited by ops and admins only, and read by sales managers too', async () => {
    for (const persona of ['rep', 'finance', 'warehouse', 'viewer'] as const) {
      expect((await h.call(persona, 'GET', '/v1/response-rules')).statusCode, persona).toBe(403);
    }
    for (const persona of ['manager', 'rep', 'finance', 'viewer'] as const) {
      expect((await h.call(persona, 'PUT', '/v1/response-rules', { rules: [] })).statusCode, persona).toBe(403);
    }
    expect((await h.call(null, 'GET', '/v1/response-rules')).statusCode).toBe(401);
  });
});
