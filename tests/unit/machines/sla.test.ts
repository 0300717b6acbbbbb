// SLAs in the machine (machines/sla.ts): what counts from when, a breach recorded once per watch,
// and the checkpoint's escalateTo role allowed to decide only after a breach in the stage visit.
import { describe, expect, it } from 'vitest';
import { addDuration, allowedEvents, defaultProcess, openSlaWatches, slaWatches, type ProcessDefinition } from '../../../machines/index';
import { driveTo, JourneyDriver, linesWithDiscount, people } from './driver';

function withSlas(edit: (def: ProcessDefinition) => void): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  edit(def);
  return def;
}

const breach = (d: JourneyDriver, key: string) => d.send({ type: 'SLA_BREACHED', key, at: d.now() });

describe('SLA watches', () => {
  it("counts a stage's SLA from entry and its checkpoint's from when it began to wait", () => {
    const def = withSlas((d) => {
      d.stages.quoting!.sla = 'P3D';
    });
    const d = driveTo(new JourneyDriver({ def }), 'opportunity').settle();
    // Over the discount limit: the quote waits for a manager.
    d.act('PROPOSE', people.rep, linesWithDiscount(30));
    const entered = d.snapshot.context.stageEnteredAt;
    // priceQuote runs: only the stage counts.
    expect(slaWatches(def, d.snapshot.context)).toEqual([
      { key: 'quoting#1:sla', scope: 'stage', stage: 'quoting', sla: 'P3D', since: entered, deadline: addDuration(Date.parse(entered), 'P3D').toISOString() },
    ]);
    d.settle();
    const since = d.snapshot.context.statusSince;
    expect(since > entered).toBe(true);
    expect(slaWatches(def, d.snapshot.context)[1]).toEqual({
      key: `quoting#1:checkpoint-sla@${since}`,
      scope: 'checkpoint',
      stage: 'quoting',
      sla: 'P1D',
      since,
      deadline: addDuration(Date.parse(since), 'P1D').toISOString(),
    });
  });

  it('records a breach once, and none for a watch that ended', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    const [watch] = slaWatches(defaultProcess, d.snapshot.context);
    expect(watch?.scope).toBe('checkpoint');
    breach(d, watch!.key);
    breach(d, watch!.key);
    expect(d.snapshot.context.slaBreaches).toEqual([{ ...watch, at: expect.any(String) }]);
    expect(openSlaWatches(defaultProcess, d.snapshot.context)).toEqual([]);

    d.act('PROPOSE', people.rep, linesWithDiscount(30));
    expect(d.snapshot.context.slaBreaches).toEqual([]);
    breach(d, watch!.key);
    expect(d.snapshot.context.slaBreaches).toEqual([]);
  });
});

describe('escalation', () => {
  it("lets the checkpoint's escalateTo role decide only after a breach in the stage visit", () => {
    const d = driveTo(new JourneyDriver(), 'ordering').settle();
    expect(allowedEvents(d.machine, d.snapshot, 'sales_manager')).not.toContain('CONFIRM');
    d.act('CONFIRM', people.manager);
    expect(d.stage).toBe('ordering');

    const [watch] = slaWatches(defaultProcess, d.snapshot.context);
    breach(d, watch!.key);
    expect(allowedEvents(d.machine, d.snapshot, 'sales_manager')).toContain('CONFIRM');
    // Only the checkpoint's own events: CANCEL keeps its roles.
    expect(allowedEvents(d.machine, d.snapshot, 'warehouse')).toEqual([]);
    d.act('CONFIRM', people.manager);
    expect(d.stage).toBe('fulfilment');
    expect(d.snapshot.context.confirmations.at(-1)).toMatchObject({ stage: 'ordering', actor: { id: people.manager.id } });
  });
});
