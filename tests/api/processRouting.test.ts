// Which process a new lead starts on (DESIGN.md section 7.2): each key's current version is its
// last published one, routing rules pick the key (first match wins, else the default), and
// publishing a version of one key never moves the leads of another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess } from '../../machines/index';
import { createHarness, newLead, type Harness } from './harness';

describe('process routing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** Saves and publishes a copy of the default process under `key`; answers its version. */
  async function publish(key: string, title: string): Promise<number> {
    const draft = { ...structuredClone(defaultProcess), key, title };
    const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
    expect(created.statusCode, created.body).toBe(201);
    const version = created.json<{ version: number }>().version;
    const published = await h.call('ops', 'POST', `/v1/process-definitions/${key}/versions/${version}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    return version;
  }
  /** The definition key and version the journey of a new lead was started on. */
  async function startedOn(lead: Record<string, unknown>): Promise<string> {
    const response = await h.call('rep', 'POST', '/v1/leads', newLead(lead));
    expect([201, 202], response.body).toContain(response.statusCode);
    const row = await h.deps.db('journeys').where({ id: response.json<{ journeyId: string }>().journeyId }).first('definition_key', 'definition_version');
    return `${row.definition_key}@${row.definition_version}`;
  }
  const builtIn = `${defaultProcess.key}@${defaultProcess.version}`;

  it('starts every lead on the built-in default while nothing is routed, and answers that routing', async () => {
    const routing = await h.call('ops', 'GET', '/v1/process-routing');
    expect(routing.statusCode).toBe(200);
    expect(routing.json()).toEqual({ default: defaultProcess.key, rules: [], version: 0, savedBy: null, savedAt: null });
    expect(await startedOn({ country: 'FR' })).toBe(builtIn);
  });

  it('keeps new leads on their key when another key is published', async () => {
    const version = await publish('parts-sale', 'Spare parts');
    expect(await startedOn({ country: 'FR' })).toBe(builtIn);
    const listed = await h.call('ops', 'GET', '/v1/process-definitions');
    const items = listed.json<{ items: { key: string; version: number; active: boolean }[] }>().items;
    // Each key has its own current version.
    expect(
      items
        .filter((i) => i.active)
        .map((i) => `${i.key}@${i.version}`)
        .sort(),
    ).toEqual([builtIn, `parts-sale@${version}`].sort());
  });

  it('routes by the first matching rule, else the default, and follows a key to its newest published version', async () => {
    const saved = await h.call('ops', 'PUT', '/v1/process-routing', {
      default: defaultProcess.key,
      rules: [
        { when: { country: 'FR', source: 'web_form' }, key: 'lead-to-cash' },
        { when: { country: 'FR' }, key: 'parts-sale' },
        { when: { productInterest: 'Spare Parts' }, key: 'parts-sale' },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, savedBy: 'usr-ops' });
    expect((await h.call('admin', 'GET', '/v1/process-routing')).json()).toMatchObject({
      version: 1,
      rules: [expect.anything(), expect.anything(), expect.anything()],
    });

    const current = ((await h.deps.db('process_definitions').where({ key: 'parts-sale', status: 'published' }).max('version as v').first()) as { v: number }).v;
    expect(await startedOn({ country: 'FR', source: 'api' })).toBe(`parts-sale@${current}`);
    expect(await startedOn({ country: 'FR', source: 'web_form' })).toBe(builtIn);
    expect(await startedOn({ country: 'DE', productInterest: 'spare parts ' })).toBe(`parts-sale@${current}`);
    expect(await startedOn({ country: 'DE', productInterest: 'spare parts for cameras' })).toBe(builtIn);

    // An import routes each row on its own.
    const imported = await h.call(
      'manager',
      'POST',
      '/v1/leads/import?source=import',
      ['name,email,country', 'Ana Import,ana.import@routing.example,FR', 'Dirk Import,dirk.import@routing.example,DE'].join('\n'),
      { 'content-type': 'text/csv' },
    );
    expect(imported.statusCode, imported.body).toBeLessThan(300);
    const rows = imported.json<{ rows: { line: number; journeyId: string }[] }>().rows;
    const importedOn = await Promise.all(
      rows.map(async (r) => {
        const row = await h.deps.db('journeys').where({ id: r.journeyId }).first('definition_key', 'definition_version');
        return `${row.definition_key}@${row.definition_version}`;
      }),
    );
    expect(importedOn).toEqual([`parts-sale@${current}`, builtIn]);

    const next = await publish('parts-sale', 'Spare parts, second edition');
    expect(next).toBe(current + 1);
    expect(await startedOn({ country: 'FR', source: 'phone' })).toBe(`parts-sale@${next}`);
  });

  it('refuses a routing that names a key with nothing published, naming the field', async () => {
    const draft = { ...structuredClone(defaultProcess), key: 'draft-only' };
    expect((await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft })).statusCode).toBe(201);
    for (const [body, field] of [
      [{ default: 'draft-only', rules: [] }, 'body.default'],
      [
        {
          default: defaultProcess.key,
          rules: [
            { when: {}, key: 'parts-sale' },
            { when: { country: 'IT' }, key: 'no-such-key' },
          ],
        },
        'body.rules.1.key',
      ],
    ] as const) {
      const refused = await h.call('ops', 'PUT', '/v1/process-routing', body);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().error).toMatchObject({ code: 'unknown_process_key', details: { field } });
    }
    const invalid = await h.call('ops', 'PUT', '/v1/process-routing', {
      default: defaultProcess.key,
      rules: [{ when: { country: 'france' }, key: 'parts-sale' }],
    });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json())).toContain('body.rules.0.when.country');
    // Nothing of it was saved.
    expect((await h.call('ops', 'GET', '/v1/process-routing')).json().version).toBe(1);
  });

  it('is for ops and admins only', async () => {
    expect((await h.call('rep', 'GET', '/v1/process-routing')).statusCode).toBe(403);
    expect((await h.call('finance', 'PUT', '/v1/process-routing', { default: defaultProcess.key, rules: [] })).statusCode).toBe(403);
  });
});
