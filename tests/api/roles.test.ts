// Roles on real journeys (worker in-process): handing a journey to another owner through
// PUT /v1/journeys/{id}/owner and the stuck monitor, admin passing every role check, a 403 that
// names the events the caller may send, and a 360 view that shows only its declared fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, journeyAtOpportunity, settledIn, type Harness } from './harness';

describe('roles on journeys', () => {
  let h: Harness;
  let journeyId: string;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
    journeyId = await journeyAtOpportunity(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const owner = (as: Parameters<Harness['call']>[0], id: string, body: unknown) => h.call(as, 'PUT', `/v1/journeys/${id}/owner`, body);

  it("lets a sales manager hand a report's journey to another report, on the view and the timeline", async () => {
    const response = await owner('manager', journeyId, { ownerId: 'usr-dach-2', note: 'Dieter is away' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ journeyId, stage: 'opportunity', owner: { id: 'usr-dach-2', name: 'Doris Dach' } });
    // At once on the 360 view (the live owner), and on the projection right after.
    const detail = (await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).json();
    expect(detail.owner).toEqual({ id: 'usr-dach-2', name: 'Doris Dach' });
    // The timeline and the projection follow by an activity.
    await eventually(async () => {
      const timeline = (await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).json().timeline;
      expect(timeline).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            event: 'REASSIGN',
            actor: 'usr-manager',
            detail: expect.objectContaining({ from: 'usr-dach-1', to: 'usr-dach-2', note: 'Dieter is away' }),
          }),
        ]),
      );
      expect((await h.deps.db('journeys').where({ id: journeyId }).first()).owner_id).toBe('usr-dach-2');
    });
    // The former owner no longer sees it; the new one does.
    expect((await h.call('rep', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(404);
    expect((await owner('ops', journeyId, { ownerId: 'usr-dach-1' })).statusCode).toBe(200);
    await eventually(async () => expect((await h.deps.db('journeys').where({ id: journeyId }).first()).owner_id).toBe('usr-dach-1'));
  });

  it("refuses an owner who does not sell, one outside a manager's team, and callers without the role", async () => {
    for (const ownerId of ['usr-viewer', 'usr-finance', 'usr-nobody']) {
      const response = await owner('ops', journeyId, { ownerId });
      expect(response.statusCode, ownerId).toBe(400);
      expect(response.json().error.details.issues[0].path).toBe('body.ownerId');
    }
    // The stuck monitor's reassign follows the same rule.
    const stuck = await h.call('finance', 'POST', '/v1/finance/stuck/actions', { action: 'reassign', journeyIds: [journeyId], ownerId: 'usr-viewer' });
    expect(stuck.statusCode).toBe(400);
    expect(stuck.json().error.details.issues[0].path).toBe('body.ownerId');
    // usr-manager-2 sells but is not in usr-manager's team.
    const outside = await owner('manager', journeyId, { ownerId: 'usr-manager-2' });
    expect(outside.statusCode).toBe(403);
    expect((await owner('otherManager', journeyId, { ownerId: 'usr-manager-2' })).statusCode).toBe(404);
    for (const as of ['rep', 'finance', 'warehouse', 'viewer'] as const)
      expect((await owner(as, journeyId, { ownerId: 'usr-dach-2' })).statusCode, as).toBe(403);
    expect((await owner('ops', journeyId, { ownerId: 'usr-dach-2', extra: 1 })).json().error.details.issues).toEqual([
      { path: 'body.extra', message: 'is not a known field' },
    ]);
    expect((await h.deps.db('journeys').where({ id: journeyId }).first()).owner_id).toBe('usr-dach-1');
  });

  it("lets admin use the stuck monitor's actions like finance and ops", async () => {
    const response = await h.call('admin', 'POST', '/v1/finance/stuck/actions', { action: 'reassign', journeyIds: [journeyId], ownerId: 'usr-dach-1' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ succeeded: 1, results: [{ journeyId, ok: true, ownerId: 'usr-dach-1' }] });
  });

  it('names the events the caller may send in a 403 from the workflow', async () => {
    const response = await h.call('rep', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'CANCEL' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
    expect(response.json().error.details.requiredRoles).toEqual(expect.arrayContaining(['sales_manager', 'ops']));
    expect([...response.json().error.details.allowedEvents].sort()).toEqual(['LOSE', 'PROPOSE']);
  });

  it("shows only the declared fields of the 360 view, never the workflow's context", async () => {
    const response = await h.call('rep', 'GET', `/v1/journeys/${journeyId}`);
    const detail = response.json<Record<string, unknown>>();
    expect(Object.keys(detail).sort()).toEqual([
      'addresses',
      'allowedEvents',
      'amount',
      'createdAt',
      'definition',
      'documents',
      'id',
      'lead',
      'leadSummary',
      'live',
      'notifications',
      'owner',
      'parked',
      'pendingCheckpoint',
      'pendingRole',
      'pricing',
      'stage',
      'stageEnteredAt',
      'status',
      'stuck',
      'temporalUrl',
      'timeline',
      'waitReason',
    ]);
    expect(detail.live).toBe(true);
    expect(response.body).not.toContain('"context"');
    // The document says so too: no undeclared field may appear.
    const doc = (await h.call(null, 'GET', '/v1/openapi.json')).json();
    const schema = doc.paths['/v1/journeys/{id}'].get.responses['200'].content['application/json'].schema;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).not.toContain('context');
    expect(Object.keys(schema.properties)).toContain('owner');
  });

  it("keeps an ended journey's owner (409)", async () => {
    const ended = await journeyAtOpportunity(h);
    expect((await h.call('manager', 'POST', `/v1/journeys/${ended}/events`, { type: 'CANCEL' })).statusCode).toBe(200);
    await settledIn(h, ended, ['cancelled']);
    const response = await owner('admin', ended, { ownerId: 'usr-dach-2' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('transition_not_allowed');
  });
});
