// Migrations (DESIGN.md section 7.2) of running journeys on the Temporal dev server: the stage map
// prefilled, unsafe plans refused with each wrong entry, a verdict per journey from its live state,
// and the apply moving ready journeys once (refusing those that drifted since the dry run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { createHarness, eventually, journeyAtOpportunity, settledIn, type Harness } from './harness';

interface Item {
  journeyId: string;
  stage: string;
  verdict: string;
  reason?: string;
  target?: string;
}

describe('migrations: plans and dry runs', () => {
  let h: Harness;
  let v2: number;
  const journeys: Record<'atOpportunity' | 'quoteSent' | 'lost' | 'drifter', string> = { atOpportunity: '', quoteSent: '', lost: '', drifter: '' };

  /** A journey brought to quote_sent: the customer has the quote. */
  async function journeyAtQuoteSent(): Promise<string> {
    const journeyId = await journeyAtOpportunity(h);
    const proposed = await h.call('rep', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'PROPOSE', data: { lines: [{ sku: 'HUB-1', quantity: 1 }] } });
    expect([200, 202], proposed.body).toContain(proposed.statusCode);
    await settledIn(h, journeyId, ['quote_sent']);
    return journeyId;
  }

  beforeAll(async () => {
    h = await createHarness({ worker: true });
    journeys.atOpportunity = await journeyAtOpportunity(h);
    journeys.quoteSent = await journeyAtQuoteSent();
    journeys.drifter = await journeyAtQuoteSent();
    journeys.lost = await journeyAtOpportunity(h);
    const lost = await h.call('rep', 'POST', `/v1/journeys/${journeys.lost}/events`, { type: 'LOSE', note: 'went elsewhere' });
    expect([200, 202], lost.body).toContain(lost.statusCode);
    await settledIn(h, journeys.lost, ['lost']);
    // Published once the journeys run on version 1: publishing moves none of them.
    // Version 2: quote_sent renamed proposal_sent, and the opportunity's checkpoint now a manager's.
    const draft = JSON.parse(JSON.stringify(defaultProcess).replaceAll('"quote_sent"', '"proposal_sent"')) as ProcessDefinition;
    draft.stages.opportunity!.checkpoint = { ...draft.stages.opportunity!.checkpoint, role: 'sales_manager' };
    const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
    expect(created.statusCode, created.body).toBe(201);
    v2 = created.json<{ version: number }>().version;
    const published = await h.call('ops', 'POST', `/v1/process-definitions/${defaultProcess.key}/versions/${v2}/publish`);
    expect(published.statusCode, published.body).toBe(200);
  });
  afterAll(async () => {
    await h.close();
  });

  it('starts the journeys of these tests on version 1', async () => {
    const rows = await h.deps.db('journeys').whereIn('id', Object.values(journeys)).distinct('definition_version');
    expect(rows).toEqual([{ definition_version: 1 }]);
  });

  const plan = (body: Record<string, unknown>) => h.call('ops', 'POST', '/v1/migrations', { key: defaultProcess.key, fromVersion: 1, toVersion: v2, ...body });
  const dryRun = async (id: string) => {
    const response = await h.call('ops', 'POST', `/v1/migrations/${id}/dry-run`);
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json<{ items: Item[] }>().items;
    return (journeyId: string) => items.find((i) => i.journeyId === journeyId);
  };

  it('prefills the stage map with the stages both versions have, and judges each journey from its live state', async () => {
    const created = await plan({});
    expect(created.statusCode, created.body).toBe(201);
    const migration = created.json<{ id: string; stageMap: Record<string, string>; status: string; timers: string }>();
    expect(migration.status).toBe('planned');
    expect(migration.timers).toBe('keep');
    expect(migration.stageMap.opportunity).toBe('opportunity');
    expect(migration.stageMap.quote_sent).toBeUndefined();

    const verdictOf = await dryRun(migration.id);
    expect(verdictOf(journeys.atOpportunity)).toMatchObject({
      stage: 'opportunity',
      verdict: 'blocked_checkpoint_changed',
      reason: expect.stringContaining('sales_manager'),
    });
    expect(verdictOf(journeys.quoteSent)).toMatchObject({ stage: 'quote_sent', verdict: 'blocked_unmapped_stage' });
    expect(verdictOf(journeys.lost)).toMatchObject({ stage: 'lost', verdict: 'skipped_final' });

    const read = await h.call('admin', 'GET', `/v1/migrations/${migration.id}`);
    expect(read.statusCode, read.body).toBe(200);
    const view = read.json<{ counts: Record<string, number>; dryRunAt: string | null; items: Item[] }>();
    expect(view.dryRunAt).not.toBeNull();
    expect(view.counts.skipped_final).toBeGreaterThanOrEqual(1);
    expect(view.counts.blocked_unmapped_stage).toBeGreaterThanOrEqual(1);
    expect(Object.values(view.counts).reduce((a, b) => a + b, 0)).toBe(view.items.length);
  });

  it('marks ready a journey whose stage the plan maps, and narrows to the filter', async () => {
    const created = await plan({ stageMap: { quote_sent: 'proposal_sent' }, timers: 'restart', filter: { stages: ['quote_sent'] } });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    const verdictOf = await dryRun(id);
    expect(verdictOf(journeys.quoteSent)).toMatchObject({ stage: 'quote_sent', verdict: 'ready', target: 'proposal_sent' });
    expect(verdictOf(journeys.atOpportunity)).toBeUndefined();
    expect(verdictOf(journeys.lost)).toBeUndefined();
  });

  it('moves the ready journeys once, on their timeline, refuses one that moved since the dry run, and the moved one goes on on the new version', async () => {
    const created = await plan({ stageMap: { quote_sent: 'proposal_sent' }, filter: { journeyIds: [journeys.quoteSent, journeys.drifter] } });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect((await h.call('ops', 'POST', `/v1/migrations/${id}/apply`)).statusCode).toBe(409); // no dry run yet
    const verdictOf = await dryRun(id);
    expect(verdictOf(journeys.quoteSent)?.verdict).toBe('ready');
    expect(verdictOf(journeys.drifter)?.verdict).toBe('ready');

    // The drifter's customer declines after the dry run.
    const declined = await h.call('rep', 'POST', `/v1/journeys/${journeys.drifter}/events`, { type: 'DECLINE' });
    expect([200, 202], declined.body).toContain(declined.statusCode);
    await settledIn(h, journeys.drifter, ['lost']);

    const applied = await h.call('ops', 'POST', `/v1/migrations/${id}/apply`);
    expect(applied.statusCode, applied.body).toBe(202);
    expect([202, 409]).toContain((await h.call('ops', 'POST', `/v1/migrations/${id}/apply`)).statusCode);
    const done = await eventually(async () => {
      const view = (await h.call('ops', 'GET', `/v1/migrations/${id}`)).json<{
        status: string;
        items: (Item & { result: string | null; resultDetail?: string })[];
      }>();
      expect(view.status).toBe('done');
      return view;
    }, 60_000);
    const result = (journeyId: string) => done.items.find((i) => i.journeyId === journeyId);
    expect(result(journeys.quoteSent)).toMatchObject({ result: 'migrated' });
    expect(result(journeys.drifter)).toMatchObject({ result: 'refused', resultDetail: expect.stringMatching(/lost|ended/) });

    const moved = (await h.call('admin', 'GET', `/v1/journeys/${journeys.quoteSent}`)).json<{
      definition: { version: number };
      stage: string;
      timeline: { type: string; detail: Record<string, unknown> }[];
    }>();
    expect(moved.definition.version).toBe(v2);
    expect(moved.stage).toBe('proposal_sent');
    const migrated = moved.timeline.filter((e) => e.type === 'migrated');
    expect(migrated).toHaveLength(1);
    expect(migrated[0]!.detail).toMatchObject({ from: 1, to: v2, migrationId: id, fromStage: 'quote_sent', toStage: 'proposal_sent' });
    const stayed = (await h.call('admin', 'GET', `/v1/journeys/${journeys.drifter}`)).json<{ definition: { version: number } }>();
    expect(stayed.definition.version).toBe(1);

    // On version 2 the customer accepts, and the order follows.
    const accepted = await h.call('rep', 'POST', `/v1/journeys/${journeys.quoteSent}/events`, { type: 'ACCEPT' });
    expect([200, 202], accepted.body).toContain(accepted.statusCode);
    await settledIn(h, journeys.quoteSent, ['ordering']);
    expect((await h.call('ops', 'POST', `/v1/migrations/${id}/pause`)).statusCode).toBe(409);
  });

  it('cancels a plan never applied, which can then not be applied', async () => {
    const { id } = (await plan({})).json<{ id: string }>();
    const cancelled = await h.call('ops', 'POST', `/v1/migrations/${id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(202);
    expect(cancelled.json<{ status: string }>().status).toBe('cancelled');
    expect((await h.call('ops', 'POST', `/v1/migrations/${id}/apply`)).statusCode).toBe(409);
  });

  it('refuses a plan that names missing stages or strands journeys, with every wrong entry', async () => {
    const response = await plan({ stageMap: { quote_sent: 'nowhere', no_such_stage: 'lead' } });
    expect(response.statusCode, response.body).toBe(422);
    const { error } = response.json<{ error: { code: string; details: { issues: { path: string; message: string }[] } } }>();
    expect(error.code).toBe('invalid_plan');
    expect(error.details.issues.map((i) => i.path).sort()).toEqual(['body.stageMap.no_such_stage', 'body.stageMap.quote_sent']);
    expect(error.details.issues.find((i) => i.path === 'body.stageMap.quote_sent')!.message).toContain('proposal_sent');

    const unknown = await plan({ toVersion: 999 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<{ error: { code: string; details: { field: string } } }>().error).toMatchObject({
      code: 'unknown_version',
      details: { field: 'body.toVersion' },
    });
    const same = await plan({ toVersion: 1 });
    expect(same.statusCode).toBe(422);
    const bad = await plan({ timers: 'sometimes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('body.timers');
  });

  it('lists the plans newest first with their counts, narrowed by status', async () => {
    const older = (await plan({})).json<{ id: string }>().id;
    await dryRun(older);
    const newer = (await plan({ timers: 'restart' })).json<{ id: string }>().id;
    expect((await h.call('ops', 'POST', `/v1/migrations/${newer}/cancel`)).statusCode).toBe(202);

    const listed = await h.call('ops', 'GET', '/v1/migrations?limit=200');
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json<{ items: { id: string; status: string; counts: Record<string, number>; dryRunAt: string | null }[] }>().items;
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    const judged = (await h.call('ops', 'GET', `/v1/migrations/${older}`)).json<{ counts: Record<string, number> }>();
    expect(items.find((i) => i.id === older)).toMatchObject({ status: 'planned', counts: judged.counts, dryRunAt: expect.any(String) });
    expect(Object.values(judged.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(items.find((i) => i.id === newer)).toMatchObject({ status: 'cancelled', dryRunAt: null });

    const cancelled = (await h.call('ops', 'GET', '/v1/migrations?status=cancelled')).json<{ items: { id: string; status: string }[] }>().items;
    expect(cancelled.map((i) => i.id)).toContain(newer);
    expect(cancelled.every((i) => i.status === 'cancelled')).toBe(true);
    expect((await h.call('ops', 'GET', '/v1/migrations?limit=1')).json<{ items: unknown[] }>().items).toHaveLength(1);
    const bad = await h.call('ops', 'GET', '/v1/migrations?status=finished');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('querystring.status');
    expect((await h.call('rep', 'GET', '/v1/migrations')).statusCode).toBe(403);
  });

  it('is for ops and admins only, and answers 404 for a plan that does not exist', async () => {
    expect((await plan({})).statusCode).toBe(201);
    expect((await h.call('rep', 'POST', '/v1/migrations', { key: defaultProcess.key, fromVersion: 1, toVersion: v2 })).statusCode).toBe(403);
    expect((await h.call('finance', 'GET', '/v1/migrations/mig_nobody')).statusCode).toBe(403);
    expect((await h.call('ops', 'GET', '/v1/migrations/mig_nobody')).statusCode).toBe(404);
    expect((await h.call('ops', 'POST', '/v1/migrations/mig_nobody/dry-run')).statusCode).toBe(404);
  });
});
