// Process definitions for ops: drafts, validation with paths, publishing and what is active.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess } from '../../machines/index';
import { createHarness, type Harness } from './harness';

describe('process definitions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const clone = () => structuredClone(defaultProcess);

  it('lists the built-in default as active while nothing is published', async () => {
    const response = await h.call('ops', 'GET', '/v1/process-definitions');
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([expect.objectContaining({ key: 'lead-to-cash', version: 1, builtIn: true, active: true, status: 'published' })]);
    const detail = await h.call('admin', 'GET', '/v1/process-definitions/lead-to-cash/versions/1');
    expect(detail.json()).toMatchObject({ validation: { ok: true, errors: [] }, definition: { key: 'lead-to-cash' } });
    expect(detail.json().mermaid).toContain('quote_sent');
  });

  it('validates a definition, reporting every error with its path', async () => {
    const valid = await h.call('ops', 'POST', '/v1/process-definitions/validate', { definition: clone() });
    expect(valid.json()).toEqual({ ok: true, errors: [] });
    const broken = clone();
    broken.stages.opportunity!.on.PROPOSE!.target = 'nowhere';
    const invalid = await h.call('ops', 'POST', '/v1/process-definitions/validate', { definition: broken });
    expect(invalid.statusCode).toBe(200);
    expect(invalid.json().ok).toBe(false);
    expect(invalid.json().errors).toContainEqual({ path: 'stages.opportunity.on.PROPOSE.target', message: expect.stringContaining('nowhere') });
    const garbage = await h.call('ops', 'POST', '/v1/process-definitions/validate', { definition: { key: 'X' } });
    expect(garbage.json().ok).toBe(false);
    expect(garbage.json().errors.length).toBeGreaterThan(1);
  });

  it('reports every error in one round, knock-ons naming the root they follow from', async () => {
    const broken = clone();
    broken.stages.opportunity!.on.PROPOSE!.target = 'quotng';
    broken.stages.quoting!.sla = '3 days';
    const response = await h.call('ops', 'POST', '/v1/process-definitions/validate', { definition: broken });
    expect(response.statusCode).toBe(200);
    const errors = response.json().errors as { path: string; message: string; causedBy?: string }[];
    const roots = errors.filter((e) => e.causedBy === undefined).map((e) => e.path);
    expect(roots.sort()).toEqual(['stages.opportunity.on.PROPOSE.target', 'stages.quoting.sla']);
    expect(errors).toContainEqual({
      path: 'stages.quote_sent',
      message: expect.stringContaining('unreachable'),
      causedBy: 'stages.opportunity.on.PROPOSE.target',
    });
    expect(errors.findIndex((e) => e.causedBy !== undefined)).toBeGreaterThanOrEqual(roots.length);
  });

  it('saves drafts as new versions, publishes a valid one and makes it active', async () => {
    const draft = clone();
    draft.policies.sqlThreshold = 60;
    draft.version = 99;
    const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ key: 'lead-to-cash', version: 2, status: 'draft', active: false, createdBy: 'usr-ops', validation: { ok: true } });
    expect(created.json().definition.version).toBe(2);

    draft.policies.sqlThreshold = 65;
    const edited = await h.call('ops', 'PUT', '/v1/process-definitions/lead-to-cash/versions/2', { definition: draft });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().definition.policies.sqlThreshold).toBe(65);

    const published = await h.call('admin', 'POST', '/v1/process-definitions/lead-to-cash/versions/2/publish');
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ version: 2, status: 'published', active: true, publishedBy: 'usr-admin' });
    const items = (await h.call('ops', 'GET', '/v1/process-definitions')).json().items as { version: number; active: boolean; builtIn: boolean }[];
    expect(items.filter((i) => i.active).map((i) => i.version)).toEqual([2]);

    const again = await h.call('ops', 'POST', '/v1/process-definitions/lead-to-cash/versions/2/publish');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_published');
    const edit = await h.call('ops', 'PUT', '/v1/process-definitions/lead-to-cash/versions/2', { definition: draft });
    expect(edit.statusCode).toBe(409);
  });

  it('keeps an invalid draft but refuses to publish it (422 with the errors)', async () => {
    const broken = clone();
    broken.stages.quoting!.checkpoint.approve = 'ACCEPT';
    const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: broken });
    expect(created.statusCode).toBe(201);
    expect(created.json().validation.ok).toBe(false);
    expect(created.json().mermaid).toBeNull();
    const version = created.json().version as number;
    const publish = await h.call('ops', 'POST', `/v1/process-definitions/lead-to-cash/versions/${version}/publish`);
    expect(publish.statusCode).toBe(422);
    expect(publish.json().error.code).toBe('invalid_definition');
    expect(publish.json().error.details.errors).toContainEqual(expect.objectContaining({ path: 'stages.quoting.checkpoint.approve' }));
  });

  it('refuses malformed drafts with 400 and paths, unknown versions with 404, other roles with 403', async () => {
    const bad = clone() as unknown as Record<string, unknown>;
    bad.stages = { lead: { checkpoint: {} } };
    const response = await h.call('ops', 'POST', '/v1/process-definitions', { definition: bad });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues.map((i: { path: string }) => i.path)).toContain('body.definition.stages.lead.checkpoint.approve');
    expect((await h.call('ops', 'GET', '/v1/process-definitions/lead-to-cash/versions/77')).statusCode).toBe(404);
    expect((await h.call('ops', 'POST', '/v1/process-definitions/no-such/versions/1/publish')).statusCode).toBe(404);
    expect((await h.call('ops', 'GET', '/v1/process-definitions/Bad_Key/versions/1')).statusCode).toBe(400);
    for (const persona of ['rep', 'manager', 'finance', 'warehouse', 'viewer'] as const) {
      expect((await h.call(persona, 'GET', '/v1/process-definitions')).statusCode, persona).toBe(403);
    }
  });
});
