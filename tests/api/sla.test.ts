// An SLA breach through the API (DESIGN.md section 7.2): before it, the checkpoint's escalateTo role
// is refused with 403 naming the roles that may decide; after it, that role's confirmation is taken,
// and the 360 view's timeline shows the breach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJourney, uniqueLead } from '../helpers/journeys';
import { variant, walk } from '../helpers/walk';
import { createHarness, eventually, type Harness } from './harness';

describe('SLA escalation through the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses the escalateTo role with 403 before the breach and takes its approval after', async () => {
    // The default process escalates ordering to a sales manager; its SLA here is seconds.
    const definition = variant((d) => {
      d.stages.ordering!.checkpoint = { ...d.stages.ordering!.checkpoint, sla: 'PT5S' };
    });
    // A German lead: owned by a DACH rep, who reports to the manager persona.
    const handle = await startJourney(h.deps.temporal, h.deps.taskQueue, definition, uniqueLead({ country: 'DE' }));
    const { journeyId } = await walk(handle, 'ordering');
    const approve = () => h.call('manager', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'ordering', decision: 'approve' });
    await eventually(async () => expect((await h.call('manager', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(200));

    const early = await approve();
    expect(early.statusCode, early.body).toBe(403);
    expect(early.json().error).toMatchObject({ code: 'forbidden', details: { stage: 'ordering', requiredRoles: ['sales_rep'] } });
    expect(early.json().error.message).toContain('sales_rep');

    const breach = await eventually(async () => {
      const detail = (await h.call('manager', 'GET', `/v1/journeys/${journeyId}`)).json<{ timeline: { type: string }[] }>();
      const entry = detail.timeline.find((e) => e.type === 'sla_breached');
      expect(entry).toBeDefined();
      return entry;
    });
    expect(breach).toMatchObject({
      stage: 'ordering',
      event: 'SLA_BREACHED',
      actor: null,
      detail: { scope: 'checkpoint', sla: 'PT5S', since: expect.any(String), deadline: expect.any(String) },
    });

    const later = await approve();
    expect([200, 202], later.body).toContain(later.statusCode);
    expect(later.json().stage).toBe('fulfilment');
  });
});
